-- PostgreSQL only. Create the library's tables (README.md beside this file has the columns):
--   authors, books, book_authors, copies, members, loans, holds
-- with these constraint (or unique index) names, which the tests read from the errors:
--   books_isbn_format, books_isbn_unique, book_authors_pkey, members_email_unique,
--   loans_one_open_per_copy, loans_due_after_loan, loans_returned_after_loan,
--   holds_one_open_per_member_book; foreign keys keep PostgreSQL's default names.
-- TODO: replace the line below with your DDL.
SELECT 'TODO' AS todo;
