"""Tests for the practice kata (README.md beside this file): six classic problems, DuckDB and PostgreSQL.

Each test builds its problem's tables in the fresh database `sql_engine` gives it, with unquoted
names as the platforms print them (PostgreSQL stores them in lower case; see the README).
"""
import datetime as dt
import random

import pytest

from dojo.sql import (
    Rules,
    matches_reference,
    returns_rows,
)

KATA = "day2.sql.practice"
ANY_ORDER = Rules(ordered=False)
BY_DAY = Rules(ordered=True)

TABLES = {
    "Logs": "CREATE TABLE Logs (id INTEGER PRIMARY KEY, num INTEGER)",
    "Employee": "CREATE TABLE Employee (id INTEGER PRIMARY KEY, name VARCHAR, salary INTEGER, departmentId INTEGER)",
    "Department": "CREATE TABLE Department (id INTEGER PRIMARY KEY, name VARCHAR)",
    "Visits": "CREATE TABLE Customer (customer_id INTEGER, name VARCHAR, visited_on DATE, amount INTEGER)",
    "Activity": """CREATE TABLE Activity (player_id INTEGER, device_id INTEGER, event_date DATE,
                   games_played INTEGER, PRIMARY KEY (player_id, event_date))""",
    "Purchases": "CREATE TABLE Customer (customer_id INTEGER NOT NULL, product_key INTEGER)",
    "Product": "CREATE TABLE Product (product_key INTEGER PRIMARY KEY)",
}
TABLE_NAMES = {"Visits": "Customer", "Purchases": "Customer"}   # two problems, two different Customer tables


def load(engine, **tables):
    """Create each named table (see TABLES) and insert its rows: load(engine, Logs=[(1, 1), ...])."""
    for key, rows in tables.items():
        engine.run_script(TABLES[key])
        engine.insert(TABLE_NAMES.get(key, key), rows)
    return engine


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)






# --- consecutive numbers: Logs(id, num) -------------------------------------------------------

CONSECUTIVE = {
    "the public example": (
        [(1, 1), (2, 1), (3, 1), (4, 2), (5, 1), (6, 2), (7, 2)], [1]),
    "a run of four and two runs of the same number are reported once": (
        [(1, 7), (2, 7), (3, 7), (4, 7), (5, 3), (6, 7), (7, 7), (8, 7)], [7]),
    "gaps in ids: adjacent rows are still consecutive": (
        [(1, 9), (4, 9), (10, 9), (11, 2), (12, 9)], [9]),
    "three times but not in a row does not count; another number's run does": (
        [(1, 4), (2, 5), (3, 4), (4, 5), (5, 4), (6, -1), (7, -1), (8, -1)], [-1]),
}


@pytest.mark.parametrize("logs,want", CONSECUTIVE.values(), ids=CONSECUTIVE.keys())
def test_consecutive_numbers_finds_numbers_three_times_in_a_row(sql_engine, logs, want):
    load(sql_engine, Logs=logs)
    returns_rows(sql_engine, KATA, "consecutive_numbers.sql", ("ConsecutiveNums",), [(n,) for n in want])


def test_consecutive_numbers_matches_the_reference_on_random_logs(sql_engine):
    rng = random.Random(180)
    ids = sorted(rng.sample(range(1, 400), 150))
    load(sql_engine, Logs=[(i, rng.choice([1, 2, 3])) for i in ids])
    matches_reference(sql_engine, KATA, "consecutive_numbers.sql")


# --- department top three salaries: Employee, Department ---------------------------------------

DEPARTMENTS = [(1, "IT"), (2, "Sales")]
PUBLIC_EMPLOYEES = [
    (1, "Joe", 85000, 1), (2, "Henry", 80000, 2), (3, "Sam", 60000, 2), (4, "Max", 90000, 1),
    (5, "Janet", 69000, 1), (6, "Randy", 85000, 1), (7, "Will", 70000, 1),
]
TOP_THREE_COLUMNS = ("Department", "Employee", "Salary")


def test_department_top_three_passes_the_public_example(sql_engine):
    load(sql_engine, Employee=PUBLIC_EMPLOYEES, Department=DEPARTMENTS)
    returns_rows(sql_engine, KATA, "department_top_three.sql", TOP_THREE_COLUMNS, [
        ("IT", "Max", 90000), ("IT", "Joe", 85000), ("IT", "Randy", 85000), ("IT", "Will", 70000),
        ("Sales", "Henry", 80000), ("Sales", "Sam", 60000),
    ])


def test_department_top_three_keeps_every_tie_and_counts_distinct_salaries(sql_engine):
    load(sql_engine, Department=[(1, "IT"), (2, "Sales"), (3, "Legal"), (4, "Empty")], Employee=[
        (1, "Ann", 100, 1), (2, "Bob", 100, 1), (3, "Cid", 100, 1),     # three tied at the top
        (4, "Dee", 90, 1), (5, "Eve", 80, 1), (6, "Fay", 80, 1), (7, "Gus", 70, 1),
        (8, "Hal", 50, 2), (9, "Ivy", 50, 2),                          # one distinct salary only
        (10, "Jon", 10, 3),
        (11, "Kim", 999, 9),                                           # no such department
    ])
    returns_rows(sql_engine, KATA, "department_top_three.sql", TOP_THREE_COLUMNS, [
        ("IT", "Ann", 100), ("IT", "Bob", 100), ("IT", "Cid", 100), ("IT", "Dee", 90),
        ("IT", "Eve", 80), ("IT", "Fay", 80), ("Sales", "Hal", 50), ("Sales", "Ivy", 50), ("Legal", "Jon", 10),
    ])


def test_department_top_three_matches_the_reference_on_random_staff(sql_engine):
    rng = random.Random(185)
    staff = [(i, f"e{i}", rng.choice(range(40, 60)) * 1000, rng.randint(1, 4)) for i in range(1, 80)]
    load(sql_engine, Employee=staff, Department=[(1, "A"), (2, "B"), (3, "C"), (4, "D")])
    matches_reference(sql_engine, KATA, "department_top_three.sql")


# --- restaurant growth: Customer(customer_id, name, visited_on, amount) ------------------------

GROWTH_COLUMNS = ("visited_on", "amount", "average_amount")
PUBLIC_VISITS = [
    (1, "Jhon", day("2019-01-01"), 100), (2, "Daniel", day("2019-01-02"), 110),
    (3, "Jade", day("2019-01-03"), 120), (4, "Khaled", day("2019-01-04"), 130),
    (5, "Winston", day("2019-01-05"), 110), (6, "Elvis", day("2019-01-06"), 140),
    (7, "Anna", day("2019-01-07"), 150), (8, "Maria", day("2019-01-08"), 80),
    (9, "Jaze", day("2019-01-09"), 110), (1, "Jhon", day("2019-01-10"), 130),
    (3, "Jade", day("2019-01-10"), 150),
]


def test_restaurant_growth_passes_the_public_example(sql_engine):
    load(sql_engine, Visits=PUBLIC_VISITS)
    returns_rows(sql_engine, KATA, "restaurant_growth.sql", GROWTH_COLUMNS, [
        (day("2019-01-07"), 860, 122.86), (day("2019-01-08"), 840, 120.00),
        (day("2019-01-09"), 840, 120.00), (day("2019-01-10"), 1000, 142.86),
    ], BY_DAY)


def test_restaurant_growth_sums_several_visits_on_one_day_before_the_window(sql_engine):
    visits = [(1, "a", day(f"2020-03-0{d}"), 10) for d in range(1, 8)]
    visits += [(2, "b", day("2020-03-07"), 5), (2, "b", day("2020-03-07"), 6),   # one customer, twice
               (3, "c", day("2020-03-08"), 1)]
    load(sql_engine, Visits=visits)
    returns_rows(sql_engine, KATA, "restaurant_growth.sql", GROWTH_COLUMNS, [
        (day("2020-03-07"), 81, 11.57), (day("2020-03-08"), 72, 10.29),
    ], BY_DAY)


def test_restaurant_growth_window_is_seven_calendar_days_across_a_gap(sql_engine):
    visits = [(1, "a", day(f"2021-05-{d:02d}"), d) for d in range(1, 8)]      # 1..7 May: amounts 1..7
    visits += [(2, "b", day("2021-05-10"), 100), (3, "c", day("2021-05-11"), 200)]   # 8 and 9 May: no visits
    load(sql_engine, Visits=visits)
    returns_rows(sql_engine, KATA, "restaurant_growth.sql", GROWTH_COLUMNS, [
        (day("2021-05-07"), 28, 4.00),
        (day("2021-05-10"), 4 + 5 + 6 + 7 + 100, 17.43),     # window 4..10 May
        (day("2021-05-11"), 5 + 6 + 7 + 100 + 200, 45.43),   # window 5..11 May
    ], BY_DAY)


def test_restaurant_growth_matches_the_reference_on_random_visits(sql_engine):
    rng = random.Random(1321)
    start = day("2022-01-01")
    visits = [(rng.randint(1, 9), "x", start + dt.timedelta(days=rng.randint(0, 40)), rng.randint(1, 300))
              for _ in range(120)]
    load(sql_engine, Visits=visits)
    matches_reference(sql_engine, KATA, "restaurant_growth.sql", BY_DAY)


# --- game play analysis III and IV: Activity(player_id, device_id, event_date, games_played) ---

PUBLIC_ACTIVITY_III = [
    (1, 2, day("2016-03-01"), 5), (1, 2, day("2016-05-02"), 6), (1, 3, day("2017-06-25"), 1),
    (3, 1, day("2016-03-02"), 0), (3, 4, day("2018-07-03"), 5),
]
PUBLIC_ACTIVITY_IV = [
    (1, 2, day("2016-03-01"), 5), (1, 2, day("2016-03-02"), 6), (2, 3, day("2017-06-25"), 1),
    (3, 1, day("2016-03-02"), 0), (3, 4, day("2018-07-03"), 5),
]
SO_FAR_COLUMNS = ("player_id", "event_date", "games_played_so_far")


def test_game_play_analysis_3_passes_the_public_example(sql_engine):
    load(sql_engine, Activity=PUBLIC_ACTIVITY_III)
    returns_rows(sql_engine, KATA, "game_play_analysis_3.sql", SO_FAR_COLUMNS, [
        (1, day("2016-03-01"), 5), (1, day("2016-05-02"), 11), (1, day("2017-06-25"), 12),
        (3, day("2016-03-02"), 0), (3, day("2018-07-03"), 5),
    ])


def test_game_play_analysis_3_restarts_per_player_whatever_the_insert_order(sql_engine):
    load(sql_engine, Activity=[
        (7, 1, day("2020-01-03"), 4), (5, 1, day("2020-01-02"), 2), (7, 1, day("2020-01-01"), 1),
        (5, 2, day("2020-01-01"), 3), (9, 1, day("2020-01-05"), 8),       # player 9: a single login
    ])
    returns_rows(sql_engine, KATA, "game_play_analysis_3.sql", SO_FAR_COLUMNS, [
        (5, day("2020-01-01"), 3), (5, day("2020-01-02"), 5),
        (7, day("2020-01-01"), 1), (7, day("2020-01-03"), 5),
        (9, day("2020-01-05"), 8),
    ])


def random_activity(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    start = day("2023-01-01")
    rows = {}
    for player in range(1, 30):
        for offset in sorted(rng.sample(range(12), rng.randint(1, 5))):
            rows[(player, offset)] = (player, rng.randint(1, 3), start + dt.timedelta(days=offset), rng.randint(0, 9))
    return list(rows.values())


def test_game_play_analysis_3_matches_the_reference_on_random_activity(sql_engine):
    load(sql_engine, Activity=random_activity(534))
    matches_reference(sql_engine, KATA, "game_play_analysis_3.sql")


def test_game_play_analysis_4_passes_the_public_example(sql_engine):
    load(sql_engine, Activity=PUBLIC_ACTIVITY_IV)
    returns_rows(sql_engine, KATA, "game_play_analysis_4.sql", ("fraction",), [(0.33,)])


def test_game_play_analysis_4_counts_only_the_day_after_the_first_login(sql_engine):
    load(sql_engine, Activity=[
        (1, 1, day("2020-01-01"), 1), (1, 1, day("2020-01-02"), 1),                        # yes
        (2, 1, day("2020-01-01"), 1), (2, 1, day("2020-01-03"), 1), (2, 1, day("2020-01-04"), 1),  # later pair: no
        (3, 1, day("2020-02-10"), 1),                                                      # single login: no
        (4, 1, day("2020-01-31"), 1), (4, 2, day("2020-02-01"), 1),                        # across a month: yes
        (5, 1, day("2020-01-05"), 1), (5, 1, day("2020-01-07"), 1),                        # two days later: no
        (6, 1, day("2020-03-01"), 1),                                                      # single login: no
    ])
    returns_rows(sql_engine, KATA, "game_play_analysis_4.sql", ("fraction",), [(0.33,)])    # 2 of 6


def test_game_play_analysis_4_matches_the_reference_on_random_activity(sql_engine):
    load(sql_engine, Activity=random_activity(550))
    matches_reference(sql_engine, KATA, "game_play_analysis_4.sql")


# --- customers who bought all products: Customer(customer_id, product_key), Product ------------

def test_customers_bought_all_passes_the_public_example(sql_engine):
    load(sql_engine, Purchases=[(1, 5), (2, 6), (3, 5), (3, 6), (1, 6)], Product=[(5,), (6,)])
    returns_rows(sql_engine, KATA, "customers_bought_all.sql", ("customer_id",), [(1,), (3,)])


def test_customers_bought_all_is_not_fooled_by_repeat_purchases(sql_engine):
    load(sql_engine, Product=[(1,), (2,), (3,)], Purchases=[
        (10, 1), (10, 2), (10, 3),
        (20, 1), (20, 1), (20, 2),          # three rows, two products
        (30, 3), (30, 3), (30, 3),
        (40, 2), (40, 1), (40, 3), (40, 3),
    ])
    returns_rows(sql_engine, KATA, "customers_bought_all.sql", ("customer_id",), [(10,), (40,)])


def test_customers_bought_all_matches_the_reference_on_random_purchases(sql_engine):
    rng = random.Random(1045)
    purchases = [(c, rng.randint(1, 4)) for c in range(1, 40) for _ in range(rng.randint(1, 8))]
    load(sql_engine, Purchases=purchases, Product=[(p,) for p in range(1, 5)])
    matches_reference(sql_engine, KATA, "customers_bought_all.sql")
