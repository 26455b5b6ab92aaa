"""Demo rule versions for `manage.py seed_demo`: plausible, not the regions' real orders.

Every region gets a base version in force from 1 June 2020; a few regions get later versions
that copy the version before them and change some fields, the way a headquarters amended its
rules. The variety follows what the regions really did (as the product design describes): Moscow's booked
vaccination and short PCR window, Ryazan's test after arrival, Tyumen's isolation until the
result, Khanty-Mansi's charter flights, Irkutsk's large quota for gold mining, suspended intake,
closed activities (OKVED) and citizenship lists.
"""

import datetime as dt

from regions.models import ActType, CitizenshipPolicy, KindsAccepted, PcrTestTiming

BASE_EFFECTIVE_FROM = dt.date(2020, 6, 1)

# The federal procedure's defaults: 72-hour PCR test before arrival, 14 days of isolation,
# insurance and isolation housing at the employer's expense, 10 days to decide.
BASE_RULES = {
    "intake_open": True,
    "isolation_days": 14,
    "isolation_until_test_result": False,
    "pcr_test_timing": PcrTestTiming.BEFORE_ARRIVAL,
    "pcr_max_age_hours": 72,
    "vaccination_required": False,
    "insurance_required": True,
    "isolation_housing_required": True,
    "charter_transport_required": False,
    "max_workers_per_application": None,
    "monthly_worker_quota": None,
    "citizenship_policy": CitizenshipPolicy.ALL,
    "citizenships": [],
    "closed_activities": [],
    "days_to_decide": 10,
}


def default_legal_basis(number: int) -> dict:
    """A plausible order of the region's headquarters, adopted shortly before 1 June 2020."""
    return {
        "legal_basis_type": ActType.PROTOCOL,
        "legal_basis_body": "заседания оперативного штаба",
        "legal_basis_number": str(5 + number % 17),
        "legal_basis_date": dt.date(2020, 5, 18 + number % 12),
    }


# Region number -> fields of its base version (1 June 2020) that differ from BASE_RULES.
BASE_OVERRIDES: dict[int, dict] = {
    23: {  # Krasnodar Krai: only citizens of CIS states
        "citizenship_policy": CitizenshipPolicy.ONLY_LISTED,
        "citizenships": ["AM", "AZ", "BY", "KG", "KZ", "TJ", "UZ"],
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "главы администрации (губернатора) Краснодарского края",
        "legal_basis_number": "129",
        "legal_basis_date": dt.date(2020, 3, 13),
        "notes": "Принимаются граждане государств — участников СНГ.",
    },
    38: {  # Irkutsk Oblast: a large quota, mostly for gold-mining companies
        "monthly_worker_quota": 5000,
        "days_to_decide": 15,
        "legal_basis_type": ActType.DECREE,
        "legal_basis_body": "Губернатора Иркутской области",
        "legal_basis_number": "159-уг",
        "legal_basis_date": dt.date(2020, 5, 28),
        "notes": "Квота рассчитана прежде всего на золотодобывающие предприятия "
        "(одна партия — 3 415 работников для 14 компаний).",
    },
    50: {  # Moscow Oblast
        "max_workers_per_application": 50,
        "days_to_decide": 15,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора Московской области",
        "legal_basis_number": "108-ПГ",
        "legal_basis_date": dt.date(2020, 3, 12),
    },
    54: {  # Novosibirsk Oblast: retail and taxi closed to foreign labour
        "closed_activities": ["47.7", "49.3"],
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора Новосибирской области",
        "legal_basis_number": "43",
        "legal_basis_date": dt.date(2020, 3, 18),
        "notes": "Запрещено привлекать иностранных работников в розничную торговлю (ОКВЭД 47.7) "
        "и перевозки пассажиров такси (ОКВЭД 49.3).",
    },
    62: {  # Ryazan Oblast: a test within 3 days after arrival instead of one before
        "pcr_test_timing": PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL,
        "legal_basis_type": ActType.DIRECTIVE,
        "legal_basis_body": "Губернатора Рязанской области",
        "legal_basis_number": "70-рг",
        "legal_basis_date": dt.date(2020, 3, 17),
        "notes": "Вместо теста до въезда принимается ПЦР-тест, сданный в течение 72 часов после прибытия.",
    },
    66: {  # Sverdlovsk Oblast: retail closed
        "closed_activities": ["47.7"],
        "legal_basis_type": ActType.DECREE,
        "legal_basis_body": "Губернатора Свердловской области",
        "legal_basis_number": "100-УГ",
        "legal_basis_date": dt.date(2020, 3, 18),
    },
    72: {  # Tyumen Oblast: isolation until the result of the test on arrival, and a quota
        "isolation_until_test_result": True,
        "monthly_worker_quota": 300,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Правительства Тюменской области",
        "legal_basis_number": "120-п",
        "legal_basis_date": dt.date(2020, 3, 17),
        "notes": "Работники находятся в изоляции до получения отрицательного результата теста, сданного по прибытии.",
    },
    77: {  # Moscow: a monthly quota, so the officers' queue shows its meter
        "max_workers_per_application": 100,
        "monthly_worker_quota": 2000,
        "legal_basis_type": ActType.DECREE,
        "legal_basis_body": "Мэра Москвы",
        "legal_basis_number": "65-УМ",
        "legal_basis_date": dt.date(2020, 5, 29),
    },
    78: {  # Saint Petersburg
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Правительства Санкт-Петербурга",
        "legal_basis_number": "121",
        "legal_basis_date": dt.date(2020, 3, 13),
    },
    86: {  # Khanty-Mansi: charter flights agreed with the headquarters
        "charter_transport_required": True,
        "monthly_worker_quota": 1500,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора ХМАО — Югры",
        "legal_basis_number": "20",
        "legal_basis_date": dt.date(2020, 3, 18),
        "notes": "Перевозка только чартерными рейсами, согласованными с оперативным штабом округа.",
    },
    87: {  # Chukotka: intake closed from the start
        "intake_open": False,
        "isolation_days": 21,
        "legal_basis_type": ActType.DIRECTIVE,
        "legal_basis_body": "Губернатора Чукотского автономного округа",
        "legal_basis_number": "112-рг",
        "legal_basis_date": dt.date(2020, 5, 26),
        "notes": "Приём иностранных работников не ведётся.",
    },
}

# (region number, in force from, changes to the version before it)
LATER_VERSIONS: list[tuple[int, dt.date, dict]] = [
    (5, dt.date(2020, 10, 20), {  # Dagestan suspends the intake
        "intake_open": False,
        "legal_basis_type": ActType.DECREE,
        "legal_basis_body": "Главы Республики Дагестан",
        "legal_basis_number": "96",
        "legal_basis_date": dt.date(2020, 10, 16),
        "notes": "Приём приостановлен в связи с ростом заболеваемости.",
    }),
    (89, dt.date(2021, 3, 1), {  # Yamal: only workers who worked for the employer before
        "kinds_accepted": KindsAccepted.RETURNING_ONLY,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора Ямало-Ненецкого автономного округа",
        "legal_basis_number": "29-ПГ",
        "legal_basis_date": dt.date(2021, 2, 24),
        "notes": "Принимаются только заявления о возвращении работников, ранее работавших у заявителя.",
    }),
    (41, dt.date(2021, 2, 1), {  # Kamchatka suspends the intake
        "intake_open": False,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора Камчатского края",
        "legal_basis_number": "9",
        "legal_basis_date": dt.date(2021, 1, 27),
        "notes": "Приём приостановлен до окончания путины.",
    }),
    (25, dt.date(2021, 5, 1), {  # Primorsky refuses arrivals from India and Nepal
        "citizenship_policy": CitizenshipPolicy.ALL_EXCEPT_LISTED,
        "citizenships": ["IN", "NP"],
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Губернатора Приморского края",
        "legal_basis_number": "21-пг",
        "legal_basis_date": dt.date(2021, 4, 28),
        "notes": "Не принимаются граждане Индии и Непала.",
    }),
    (78, dt.date(2020, 11, 1), {  # Saint Petersburg shortens the PCR window
        "pcr_max_age_hours": 48,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Правительства Санкт-Петербурга",
        "legal_basis_number": "862",
        "legal_basis_date": dt.date(2020, 10, 28),
        "notes": "ПЦР-тест не старше 48 часов на день прибытия.",
    }),
    (77, dt.date(2021, 6, 16), {  # Moscow: vaccination booked for the list, 48-hour PCR window
        "vaccination_required": True,
        "pcr_max_age_hours": 48,
        "days_to_decide": 7,
        "legal_basis_type": ActType.RESOLUTION,
        "legal_basis_body": "Главного государственного санитарного врача по г. Москве",
        "legal_basis_number": "1",
        "legal_basis_date": dt.date(2021, 6, 15),
        "notes": "Работодатель записывает работников списка на вакцинацию; ПЦР-тест не старше 48 часов.",
    }),
]

# A draft version, not published, so admins see one they may still edit and publish. It takes effect on the
# first day of the month after next; seed_demo adds it only when the region has none pending.
FUTURE_VERSION_REGION = 50
FUTURE_VERSION_CHANGES = {
    "vaccination_required": True,
    "pcr_max_age_hours": 48,
    "isolation_days": 10,
    # A draft act has no number or date yet: "постановление Губернатора Московской области (проект)".
    "legal_basis_type": ActType.RESOLUTION,
    "legal_basis_body": "Губернатора Московской области (проект)",
    "legal_basis_number": "",
    "legal_basis_date": None,
    "notes": "Проект новой редакции: ещё не действует и может быть изменён.",
}


def future_effective_from(today: dt.date) -> dt.date:
    """The first day of the month after next, counted from `today`."""
    month_index = today.year * 12 + today.month - 1 + 2
    return dt.date(month_index // 12, month_index % 12 + 1, 1)
