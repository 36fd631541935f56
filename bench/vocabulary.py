"""The words the benchmark's cases are written in: English and Russian, per category.

A case's text is built from a sentence template of its category with the slots filled
(a sport, a club, a payment method, an amount, a bet number...), a few detail sentences
and a closing line; the customer, the agents and the resolution add messages. Frequent
words ("ставка", "withdrawal") come out in a large share of the cases; the words in
``RARE`` are added to a small share only, so a search for one finds a handful of cases.
"""

# Sentences are data: each stays whole on its line, however long.
# ruff: noqa: E501

from __future__ import annotations

# fmt: off

CATEGORY_WEIGHTS: dict[str, int] = {
    "deposit_withdrawal": 28,
    "bet_settlement": 22,
    "bonus_terms": 15,
    "account_verification": 12,
    "technical_fault": 10,
    "payout_refusal": 5,
    "other": 5,
    "responsible_gambling": 3,
}

SLOTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "sport": [
            "football", "tennis", "basketball", "ice hockey", "horse racing", "darts", "cricket",
            "snooker", "volleyball", "esports",
        ],
        "club": [
            "Arsenal", "Chelsea", "Liverpool", "Everton", "Celtic", "Rangers", "Leeds",
            "Brentford", "Fulham", "Aston Villa", "Real Madrid", "Juventus", "Ajax",
        ],
        "market": [
            "match result", "both teams to score", "over 2.5 goals", "correct score",
            "first goalscorer", "Asian handicap", "each way", "double chance",
        ],
        "method": [
            "Visa card", "Mastercard", "PayPal", "bank transfer", "Apple Pay", "Skrill",
            "Neteller", "Google Pay",
        ],
        "bonus": [
            "welcome bonus", "free bet", "deposit match", "cashback offer", "acca boost",
            "reload bonus", "free spins",
        ],
        "device": [
            "Android app", "iPhone app", "website", "mobile site", "tablet",
        ],
        "currency": [
            "GBP", "EUR", "USD",
        ],
    },
    "ru": {
        "sport": [
            "футбол", "теннис", "баскетбол", "хоккей", "скачки", "дартс", "волейбол", "киберспорт",
            "бокс", "биатлон",
        ],
        "club": [
            "Спартак", "Зенит", "ЦСКА", "Локомотив", "Динамо", "Краснодар", "Ростов", "Рубин",
            "Ахмат", "СКА", "Ак Барс", "Авангард",
        ],
        "market": [
            "исход матча", "обе забьют", "тотал больше 2.5", "точный счёт", "фора", "двойной шанс",
            "первый гол", "экспресс",
        ],
        "method": [
            "банковская карта", "карта Мир", "СБП", "ЮMoney", "QIWI", "банковский перевод",
            "электронный кошелёк",
        ],
        "bonus": [
            "приветственный бонус", "фрибет", "бонус на депозит", "кэшбэк", "бонус за экспресс",
            "страховка ставки", "фриспины",
        ],
        "device": [
            "приложение на Android", "приложение на iPhone", "сайт", "мобильная версия", "планшет",
        ],
        "currency": [
            "RUB", "EUR", "USD",
        ],
    },
}

SUBJECTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "deposit_withdrawal": [
            "Withdrawal not received", "Deposit missing from my balance",
            "Withdrawal pending for days", "Payment declined", "Where is my withdrawal?",
            "Deposit taken twice",
        ],
        "bet_settlement": [
            "Bet settled wrongly", "Winning bet marked as lost", "Void leg not applied",
            "Wrong odds on my accumulator", "Cash out amount wrong",
            "Bet {bet} settled incorrectly",
        ],
        "bonus_terms": [
            "Bonus removed from account", "Wagering requirement unclear", "Free bet not credited",
            "Bonus winnings confiscated",
        ],
        "account_verification": [
            "Verification taking too long", "Documents rejected",
            "Account blocked after verification", "KYC request again",
        ],
        "technical_fault": [
            "App crashed during bet", "Site error when placing bet", "Cannot log in",
            "Live stream not working",
        ],
        "payout_refusal": [
            "Winnings refused", "Payout refused for terms breach",
            "Account closed and winnings withheld",
        ],
        "responsible_gambling": [
            "Please close my account", "Self-exclusion not applied", "Deposit limit ignored",
        ],
        "other": [
            "Complaint about customer service", "Question about my account",
            "Marketing emails after opt-out",
        ],
    },
    "ru": {
        "deposit_withdrawal": [
            "Не пришла выплата", "Депозит не зачислен", "Вывод средств завис", "Платёж отклонён",
            "Где мои деньги?", "Депозит списали дважды",
        ],
        "bet_settlement": [
            "Неверный расчёт ставки", "Выигрышная ставка рассчитана как проигрыш",
            "Не учли возврат по событию", "Неправильный коэффициент в экспрессе",
            "Неверная сумма кэшаута", "Ставка {bet} рассчитана неверно",
        ],
        "bonus_terms": [
            "Бонус списан со счёта", "Непонятные условия отыгрыша", "Фрибет не начислен",
            "Аннулировали бонусный выигрыш",
        ],
        "account_verification": [
            "Верификация длится слишком долго", "Документы отклонены",
            "Аккаунт заблокирован после проверки", "Снова просят документы",
        ],
        "technical_fault": [
            "Приложение вылетело во время ставки", "Ошибка на сайте при ставке",
            "Не могу войти в аккаунт", "Не работает трансляция",
        ],
        "payout_refusal": [
            "Отказ в выплате выигрыша", "Отказали в выплате из-за правил",
            "Аккаунт закрыт, выигрыш не выплачен",
        ],
        "responsible_gambling": [
            "Прошу закрыть мой аккаунт", "Самоисключение не сработало",
            "Лимит депозита не соблюдается",
        ],
        "other": [
            "Жалоба на службу поддержки", "Вопрос по аккаунту", "Рассылка после отписки",
        ],
    },
}

OPENERS: dict[str, dict[str, list[str]]] = {
    "en": {
        "deposit_withdrawal": [
            "I requested a withdrawal of {amount} {currency} to my {method} on {date} and it has still not arrived.",
            "My deposit of {amount} {currency} by {method} was taken from my bank but the balance did not change.",
            "The withdrawal of {amount} {currency} has been pending since {date}, nobody tells me why.",
        ],
        "bet_settlement": [
            "My bet {bet} on {club} ({market}, {sport}) was settled as lost although the result was a win.",
            "The accumulator {bet} had a void leg but the odds were not recalculated, I was paid {amount} {currency} less.",
            "I cashed out bet {bet} on {date} and received a different amount than the one shown in the {device}.",
        ],
        "bonus_terms": [
            "The {bonus} of {amount} {currency} disappeared from my account on {date}.",
            "I completed the wagering for the {bonus} but the winnings were removed.",
            "I was promised a {bonus} after my deposit of {amount} {currency} and never got it.",
        ],
        "account_verification": [
            "I sent my passport and a utility bill on {date} and the verification is still not finished.",
            "My documents were rejected twice without any explanation, the {device} only shows an error.",
        ],
        "technical_fault": [
            "The {device} froze while I was placing a bet on {club} and the stake of {amount} {currency} was taken.",
            "Since {date} I cannot log in from the {device}, the page keeps reloading.",
        ],
        "payout_refusal": [
            "You refused to pay my winnings of {amount} {currency} claiming a breach of the terms, which I did not commit.",
            "My account was closed after a big win on {club} and the {amount} {currency} were withheld.",
        ],
        "responsible_gambling": [
            "I asked to self-exclude on {date} but I could still deposit {amount} {currency}.",
            "I set a deposit limit and it was ignored, I lost {amount} {currency}.",
        ],
        "other": [
            "Your support agent closed my chat on {date} without answering.",
            "I keep receiving promotional emails although I unsubscribed on {date}.",
        ],
    },
    "ru": {
        "deposit_withdrawal": [
            "Я заказал вывод {amount} {currency} на {method} {date}, но деньги так и не пришли.",
            "Депозит {amount} {currency} через {method} списали с карты, а баланс не пополнился.",
            "Выплата {amount} {currency} висит в обработке с {date}, никто не объясняет причину.",
        ],
        "bet_settlement": [
            "Моя ставка {bet} на {club} ({market}, {sport}) рассчитана как проигрыш, хотя она выиграла.",
            "В экспрессе {bet} был возврат по событию, но коэффициент не пересчитали, мне недоплатили {amount} {currency}.",
            "Я сделал кэшаут ставки {bet} {date} и получил другую сумму, чем показывало {device}.",
        ],
        "bonus_terms": [
            "{bonus} на {amount} {currency} пропал со счёта {date}.",
            "Я отыграл {bonus}, но выигрыш аннулировали.",
            "После депозита {amount} {currency} мне обещали {bonus}, но так и не начислили.",
        ],
        "account_verification": [
            "Я отправил паспорт и выписку {date}, а верификация до сих пор не завершена.",
            "Документы дважды отклонили без объяснений, {device} показывает только ошибку.",
        ],
        "technical_fault": [
            "{device} зависло, когда я делал ставку на {club}, а ставку {amount} {currency} списали.",
            "С {date} не могу войти через {device}, страница всё время перезагружается.",
        ],
        "payout_refusal": [
            "Вы отказали в выплате выигрыша {amount} {currency} из-за нарушения правил, которого не было.",
            "После крупного выигрыша на {club} аккаунт закрыли, а {amount} {currency} не выплатили.",
        ],
        "responsible_gambling": [
            "Я попросил самоисключение {date}, но смог внести депозит {amount} {currency}.",
            "Я установил лимит депозита, его проигнорировали, я проиграл {amount} {currency}.",
        ],
        "other": [
            "Оператор поддержки закрыл чат {date}, так и не ответив.",
            "Мне продолжают приходить рекламные письма, хотя я отписался {date}.",
        ],
    },
}

DETAILS: dict[str, list[str]] = {
    "en": [
        "I have been a customer for {years} years and never had a problem like this.",
        "Support told me to wait 24 hours, I waited three days.",
        "The transaction reference is {bet}.", "I attach the screenshot from the {device}.",
        "The event was {club} against {club2} and the official result is public.",
        "This is the second time this month.",
        "Please check the bet history, everything is there.",
        "My balance shows {amount} {currency} but I cannot withdraw it.",
        "I have used {method} for all my deposits.",
        "The terms on your site say nothing about this.",
    ],
    "ru": [
        "Я ваш клиент уже {years} лет и такого никогда не было.",
        "В поддержке сказали подождать сутки, я жду уже три дня.", "Номер операции {bet}.",
        "Прикладываю скриншот из {device}.",
        "Матч {club} против {club2}, официальный результат есть в открытом доступе.",
        "Это уже второй раз за месяц.", "Проверьте историю ставок, там всё видно.",
        "На балансе {amount} {currency}, но вывести их я не могу.",
        "Все депозиты я делал через {method}.", "В правилах на сайте об этом ничего не сказано.",
    ],
}

CLOSERS: dict[str, list[str]] = {
    "en": [
        "Please fix this as soon as possible.", "I want my money back.",
        "I will go to the regulator if this is not resolved.", "Thank you.",
        "Please answer by email.",
    ],
    "ru": [
        "Прошу решить вопрос как можно скорее.", "Верните мои деньги.",
        "Если вопрос не решится, обращусь к регулятору.", "Спасибо.",
        "Ответьте, пожалуйста, по почте.",
    ],
}

STAFF_REPLIES: dict[str, list[str]] = {
    "en": [
        "Thank you for contacting us. We are looking into your case and will update you shortly.",
        "We have passed your case to the {team} team; they will reply within 24 hours.",
        "Could you please send us a screenshot of the bet slip and the exact time?",
        "We have checked the transaction with the payment provider and are waiting for their answer.",
    ],
    "ru": [
        "Спасибо за обращение. Мы изучаем ваш вопрос и скоро вернёмся с ответом.",
        "Мы передали обращение в отдел «{team}», ответ будет в течение суток.",
        "Пришлите, пожалуйста, скриншот купона и точное время ставки.",
        "Мы проверили платёж у платёжной системы и ждём их ответа.",
    ],
}

CUSTOMER_REPLIES: dict[str, list[str]] = {
    "en": [
        "Here is the screenshot you asked for.", "It has now been a week, any news?",
        "The bet was placed at 19:45, before the match started.",
        "I still have not received anything.",
    ],
    "ru": [
        "Отправляю скриншот, который вы просили.", "Прошла уже неделя, есть новости?",
        "Ставка сделана в 19:45, до начала матча.", "Я до сих пор ничего не получил.",
    ],
}

NOTES: list[str] = [
    "Checked the settlement log: the void leg was applied after the payout.",
    "Payment provider confirms the transfer; waiting for the bank reference.",
    "Customer has two accounts, compliance informed.",
    "Проверил лог расчёта, возврат по событию применён после выплаты.",
    "Платёжная система подтвердила перевод, ждём номер из банка.",
]

RESOLUTIONS: dict[str, dict[str, list[str]]] = {
    "en": {
        "upheld": [
            "We re-settled the bet and credited {amount} {currency} to your account.",
            "The withdrawal was sent again and has been confirmed by the bank.",
        ],
        "partially_upheld": [
            "We credited {amount} {currency} as a goodwill gesture; the rest was settled correctly.",
        ],
        "not_upheld": [
            "We checked the bet against the official result; it was settled correctly under rule 4.2 of our terms.",
        ],
        "withdrawn": [
            "You told us the payment has arrived, so we have closed the case.",
        ],
    },
    "ru": {
        "upheld": [
            "Мы пересчитали ставку и зачислили {amount} {currency} на ваш счёт.",
            "Выплата отправлена повторно, банк подтвердил зачисление.",
        ],
        "partially_upheld": [
            "Мы зачислили {amount} {currency} в качестве компенсации, остальное рассчитано верно.",
        ],
        "not_upheld": [
            "Мы сверили ставку с официальным результатом: она рассчитана верно по пункту 4.2 правил.",
        ],
        "withdrawn": [
            "Вы сообщили, что платёж пришёл, поэтому мы закрыли обращение.",
        ],
    },
}

# Added to a small share of the cases: a search for one of these finds a handful.
RARE: dict[str, list[str]] = {
    "en": [
        "chargeback", "arbitration", "Accrington", "Kilmarnock", "Tranmere", "Ebbsfleet",
        "Paysafecard", "Trustly", "MuchBetter", "AstroPay", "ecoPayz", "Jeton", "ombudsman",
        "solicitor", "bereavement", "pacemaker", "clairvoyant", "Wimbledon", "photosensitive",
        "overdraft", "freelancer", "Gibraltar", "Isle of Man", "Alderney", "dyslexia",
        "insolvency", "Pontefract", "Haydock", "Kempton", "Cheltenham",
    ],
    "ru": [
        "арбитраж", "омбудсмен", "нотариус", "дисквалификация", "тотализатор", "Енисей", "Балтика",
        "Шинник", "Томь", "Алания", "Факел", "Уфа", "ипотека", "пенсионер", "инвалидность",
        "банкротство", "коллектор", "апелляция", "прокуратура", "Роспотребнадзор", "Калининград",
        "Владивосток", "Якутск", "Мурманск", "чарджбэк", "дислексия", "опекун", "наследство",
        "алименты", "кредитор",
    ],
}

# Search terms of the benchmark: (language, kind, query).
SEARCH_TERMS: list[tuple[str, str, str]] = [
    ("en", "common", "withdrawal"), ("en", "common", "bet settled"), ("en", "rare", "Kilmarnock"),
    ("en", "rare", "chargeback"), ("ru", "common", "выплата"),
    ("ru", "common", "ставка рассчитана"), ("ru", "rare", "нотариус"), ("ru", "rare", "Шинник"),
]

FIRST_NAMES: dict[str, list[str]] = {
    "en": [
        "James", "Oliver", "Harry", "Jack", "Amelia", "Olivia", "Emily", "Sophie", "Liam", "Noah",
        "Grace", "Chloe", "Daniel", "Thomas", "Lucy", "Megan",
    ],
    "ru": [
        "Александр", "Дмитрий", "Максим", "Иван", "Анна", "Мария", "Елена", "Ольга", "Сергей",
        "Андрей", "Наталья", "Татьяна", "Михаил", "Алексей", "Ирина", "Юлия",
    ],
}

LAST_NAMES: dict[str, list[str]] = {
    "en": [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans",
        "Walker", "Wright", "Thompson", "Roberts", "Green", "Hall", "Wood",
    ],
    "ru": [
        "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
        "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    ],
}

# Transliterated surnames for e-mail addresses.
MAIL_NAMES: list[str] = [
    "smith", "jones", "ivanov", "smirnov", "kuznetsov", "taylor", "brown", "popov", "petrov",
    "wilson", "sokolov", "evans", "volkov", "walker",
]

MAIL_DOMAINS: list[str] = [
    "example.com", "example.org", "example.net", "mail.example", "post.example",
]

# fmt: on
