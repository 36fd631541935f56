"""Complaints about bets: settled wrongly (the verifier finds them underpaid), settled
rightly (the customer is mistaken), and the technical faults around placing and cashing out."""

from __future__ import annotations

from complaintdesk.complaints.models import Category
from complaintdesk.demo import world
from complaintdesk.demo.bets import Leg, mis_settle, pay_correctly
from complaintdesk.demo.operator import Customer, Operator, owed
from complaintdesk.demo.scripts.common import (
    D,
    H,
    Script,
    amount_in,
    race_leg,
    russian,
    say,
    slip_of,
)

# --- bets settled wrongly: the verifier finds them underpaid -----------------------------


def each_way_place_unpaid(op: Operator, c: Customer) -> Script:
    leg = race_leg(op, c, "8/1", position=3, places=4, place_fraction="1/5")
    slip = mis_settle(
        slip_of(op, c, [leg], ago=2 * D, each_way=True),
        lambda s: {**s, "legs": [{**s["legs"][0], "position": None}]},
    )
    horse, race = leg["selection_name"], leg["event"]
    return Script(
        c,
        Category.bet_settlement,
        say(
            c,
            "Each-way bet placed but nothing paid",
            "Ставка each-way: лошадь заняла 3-е место, выплаты нет",
        ),
        say(
            c,
            f"My each-way bet on {horse} in the {race} (bet ID {slip['bet_id']}) finished third, "
            "which is a place, but the bet shows as lost and I got nothing back.",
            f"Ставил each-way на {horse} в забеге {race}, купон №{slip['bet_id']}. Лошадь пришла "
            "третьей, это призовое место, но ставка рассчитана как проигрыш.",
        ),
        say(
            c,
            "the place part of the bet should have been paid",
            "часть ставки на место должна была быть выплачена",
        ),
        compensation=owed(slip),
    )


def accumulator_void_leg_lost(op: Operator, c: Customer) -> Script:
    legs = [op.bets.football_leg(c.odds_style) for _ in range(3)]
    for leg in legs:
        leg["result"] = "won"
    legs[1]["result"] = "void"
    slip = mis_settle(
        slip_of(op, c, legs, ago=3 * D, type="accumulator"),
        lambda s: {
            **s,
            "legs": [
                {**leg, "result": "lost" if leg["result"] == "void" else leg["result"]}
                for leg in s["legs"]
            ],
        },
    )
    return Script(
        c,
        Category.bet_settlement,
        say(
            c,
            "Postponed match made my accumulator lose",
            "Матч перенесли, а экспресс рассчитали как проигрыш",
        ),
        say(
            c,
            f"{legs[1]['event']} was postponed, so that leg should be void, but my treble was "
            "settled as a loser. The other two legs won.",
            f"Матч {legs[1]['event']} перенесли, значит эта ставка должна быть возвращена, но весь "
            "экспресс рассчитали как проигрыш. Остальные два события сыграли.",
        ),
        say(
            c,
            "the void leg should have counted at odds of 1",
            "отменённое событие должно было считаться с коэффициентом 1",
        ),
        bet_ids=[slip["bet_id"]],
        compensation=owed(slip),
    )


def asian_quarter_line(op: Operator, c: Customer) -> Script:
    home, away = op.rng.sample(op.rng.choice(world.FOOTBALL_LEAGUES)[1], 2)
    leg: Leg = {
        "market": "asian_handicap",
        "odds": "1.95",
        "line": "-0.25",
        "score": [1, 1],
        "event": f"{home} v {away}",
        "market_name": "Asian handicap",
        "selection_name": f"{home} -0.25",
    }
    slip = mis_settle(
        slip_of(op, c, [leg], ago=30 * H, stake="100.00"),
        lambda s: {**s, "legs": [{**s["legs"][0], "line": "-0.5"}]},
    )
    return Script(
        c,
        Category.bet_settlement,
        say(
            c,
            "Asian handicap -0.25 on a draw paid nothing",
            "Азиатская фора -0.25 при ничьей: ничего не вернули",
        ),
        say(
            c,
            f"Bet {slip['bet_id']}: {leg['selection_name']} and the game ended 1-1. With a quarter "
            "line half my stake should come back, but I got nothing.",
            f"Ставка {slip['bet_id']}: {leg['selection_name']}, матч закончился 1:1. "
            "При четвертной "
            "форе половина ставки должна вернуться, а мне не вернули ничего.",
        ),
        say(
            c,
            "on a draw the -0.25 line loses half the stake and returns the other half",
            "при ничьей фора -0.25 проигрывает половину ставки, вторая половина возвращается",
        ),
        compensation=owed(slip),
    )


def rule4_twice(op: Operator, c: Customer) -> Script:
    leg = race_leg(op, c, "6/1", position=1, rule4=["0.15"])
    slip = mis_settle(
        slip_of(op, c, [leg], ago=4 * D, stake="20.00"),
        lambda s: {**s, "legs": [{**s["legs"][0], "rule4": ["0.15", "0.15"]}]},
    )
    return Script(
        c,
        Category.bet_settlement,
        say(c, "Rule 4 deducted twice from my winner", "Правило 4 применили дважды"),
        say(
            c,
            f"{leg['selection_name']} won the {leg['event']} at 6/1. There was one non-runner "
            f"(15p in the pound) but my winnings on coupon {slip['bet_id']} look like 30p "
            "was taken.",
            f"{leg['selection_name']} выиграл забег {leg['event']} с коэффициентом 6/1. Был один "
            f"снятый участник (вычет 15 пенсов с фунта), но по купону {slip['bet_id']} удержали, "
            "похоже, 30.",
        ),
        say(
            c,
            "one Rule 4 deduction of 15p applied, not two",
            "полагался один вычет по правилу 4 (15 пенсов), а не два",
        ),
        compensation=owed(slip),
    )


def best_odds_not_applied(op: Operator, c: Customer) -> Script:
    leg = race_leg(op, c, "5/1", position=1, bog=True, starting_price="8/1")
    slip = mis_settle(
        slip_of(op, c, [leg], ago=2 * D),
        lambda s: {
            **s,
            "legs": [{k: v for k, v in s["legs"][0].items() if k not in ("bog", "starting_price")}],
        },
    )
    return Script(
        c,
        Category.bet_settlement,
        say(c, "Best Odds Guaranteed not applied", "Не применили гарантию лучших коэффициентов"),
        say(
            c,
            f"I took 5/1 on {leg['selection_name']}, it won and the SP was 8/1. The race was "
            f"Best Odds Guaranteed but bet {slip['bet_id']} was paid at 5/1.",
            f"Взял {leg['selection_name']} за 5/1, лошадь выиграла, стартовая цена 8/1. Забег был "
            f"с гарантией лучших коэффициентов, но ставку {slip['bet_id']} выплатили по 5/1.",
        ),
        say(
            c,
            "Best Odds Guaranteed applied: the bet settles at the starting price of 8/1",
            "действует гарантия лучших коэффициентов: ставка рассчитывается по стартовой цене 8/1",
        ),
        compensation=owed(slip),
    )


def price_rounded(op: Operator, c: Customer) -> Script:
    price = {"american": "-110", "fractional": "1/3"}.get(c.odds_style, "1.91")
    shown = {"-110": "1.90", "1/3": "1.33"}.get(price, "1.9")
    leg = op.bets.two_way_leg(
        "ice_hockey" if c.odds_style == "american" else "tennis", c.odds_style
    )
    leg.update(odds=price, result="won")
    slip = mis_settle(
        slip_of(op, c, [leg], ago=20 * H, stake="500.00"),
        lambda s: {**s, "legs": [{**s["legs"][0], "odds": shown}]},
    )
    return Script(
        c,
        Category.bet_settlement,
        say(
            c,
            "Winnings a little short on a big single",
            "Выигрыш по ставке меньше, чем должен быть",
        ),
        say(
            c,
            f"Bet ID {slip['bet_id']}: {amount_in(c, '500')} on {leg['selection_name']} "
            f"at {price}. "
            "It won but the return is less than the price works out to.",
            f"Ставка {slip['bet_id']}: {amount_in(c, '500')} на {leg['selection_name']} по "
            f"коэффициенту {price}. Ставка сыграла, но выплата меньше, чем по расчёту.",
        ),
        say(
            c,
            "the bet settles on the exact price, not its rounded display",
            "ставка рассчитывается по точному коэффициенту, а не по округлённому",
        ),
        compensation=owed(slip),
    )


def system_void_leg(op: Operator, c: Customer) -> Script:
    legs = [op.bets.football_leg(c.odds_style) for _ in range(3)]
    for leg, result in zip(legs, ("won", "void", "won"), strict=True):
        leg["result"] = result
    slip = mis_settle(
        slip_of(op, c, legs, ago=3 * D, type="system", system="trixie", stake="5.00"),
        lambda s: {
            **s,
            "legs": [
                {**leg, "result": "lost" if leg["result"] == "void" else leg["result"]}
                for leg in s["legs"]
            ],
        },
    )
    return Script(
        c,
        Category.bet_settlement,
        say(
            c,
            "Trixie settled wrongly after a void match",
            "Система «тикси» рассчитана неверно после отмены матча",
        ),
        say(
            c,
            f"My trixie, coupon {slip['bet_id']}: one match was abandoned and should count as a "
            "non-runner, but the doubles including it were settled as lost.",
            f"Моя система «тикси», купон №{slip['bet_id']}: один матч отменили, он должен "
            "считаться возвратом, а все двойники с ним рассчитали как проигрыш.",
        ),
        say(
            c,
            "the void leg counts at odds of 1 in every line",
            "отменённое событие считается с коэффициентом 1 в каждой комбинации",
        ),
        compensation=owed(slip),
    )


# --- bets settled correctly: the customer is mistaken ---------------------------------


def dead_heat_halved(op: Operator, c: Customer) -> Script:
    leg = race_leg(op, c, "10/1", position=1, tied=2)
    slip = pay_correctly(slip_of(op, c, [leg], ago=5 * D))
    return Script(
        c,
        Category.bet_settlement,
        say(c, "Only half paid on my winner", "Выплатили только половину выигрыша"),
        say(
            c,
            f"{leg['selection_name']} won, but bet {slip['bet_id']} was paid at half. Why?",
            f"{leg['selection_name']} выиграл, а ставку {slip['bet_id']} выплатили "
            "наполовину. Почему?",
        ),
        say(
            c,
            "the race was a dead heat for first between two runners, so half the stake is "
            "settled as a winner",
            "забег закончился вничью за первое место двух лошадей, поэтому выигравшей "
            "считается половина ставки",
        ),
    )


def cashed_out(op: Operator, c: Customer) -> Script:
    legs = [op.bets.football_leg(c.odds_style) for _ in range(4)]
    for leg in legs:
        leg["result"] = "won"
    slip = pay_correctly(slip_of(op, c, legs, ago=6 * D, status="cashed_out", cash_out="18.40"))
    return Script(
        c,
        Category.bet_settlement,
        say(c, "My accumulator won but I was paid less", "Экспресс зашёл, а выплатили меньше"),
        say(
            c,
            f"All four legs of coupon {slip['bet_id']} won, but I only got "
            f"{amount_in(c, '18.40')}.",
            f"Все четыре события купона №{slip['bet_id']} сыграли, а мне выплатили только "
            f"{amount_in(c, '18.40')}.",
        ),
        say(
            c,
            "the bet was cashed out before the last match for the accepted amount",
            "ставка была продана (кэшаут) до последнего матча за принятую сумму",
        ),
    )


def free_bet_stake(op: Operator, c: Customer) -> Script:
    leg = op.bets.football_leg(c.odds_style)
    leg["result"] = "won"
    slip = pay_correctly(slip_of(op, c, [leg], ago=2 * D, free_bet=True))
    evidence = None
    if not russian(c):
        evidence = {
            "bets": [
                {
                    k: v
                    for k, v in slip.items()
                    if k not in ("account_id", "placed_at", "settled_at", "status")
                }
            ]
        }
    return Script(
        c,
        Category.bet_settlement,
        say(c, "Free bet winnings missing my stake", "Фрибет: не вернули сумму ставки"),
        say(
            c,
            f"My free bet {slip['bet_id']} won but the stake was not included in the payout.",
            f"Фрибет {slip['bet_id']} выиграл, но сумму ставки в выплату не включили.",
        ),
        say(
            c,
            "a free bet's stake is never returned, only the winnings",
            "при фрибете сумма ставки не возвращается, выплачивается только выигрыш",
        ),
        evidence=evidence,
    )


def accumulator_leg_lost(op: Operator, c: Customer) -> Script:
    legs = [op.bets.football_leg(c.odds_style) for _ in range(5)]
    for leg in legs:
        leg["result"] = "won"
    legs[3]["result"] = "lost"
    slip = pay_correctly(slip_of(op, c, legs, ago=3 * D, type="accumulator"))
    return Script(
        c,
        Category.bet_settlement,
        say(c, "Accumulator shown as lost", "Экспресс показан как проигранный"),
        say(
            c,
            f"I think my five-fold accumulator, bet {slip['bet_id']}, won. Please check it.",
            f"Считаю, что мой экспресс из пяти событий (ставка {slip['bet_id']}) выиграл. "
            "Проверьте, пожалуйста.",
        ),
        say(
            c,
            f"the leg on {legs[3]['event']} lost, so the accumulator lost",
            f"событие {legs[3]['event']} не сыграло, поэтому экспресс проигран",
        ),
    )


# --- technical faults -----------------------------------------------------------------


def cash_out_failed(op: Operator, c: Customer) -> Script:
    leg = op.bets.football_leg(c.odds_style)
    leg["result"] = "lost"
    slip = pay_correctly(slip_of(op, c, [leg], ago=26 * H, stake="50.00"))
    return Script(
        c,
        Category.technical_fault,
        say(c, "Cash out button did nothing", "Кнопка кэшаута не сработала"),
        say(
            c,
            f"I pressed cash out on bet {slip['bet_id']} at 70 minutes, the app spun and nothing "
            "happened. Then the team conceded and the bet lost.",
            f"На 70-й минуте нажал «Продать ставку» по купону {slip['bet_id']}, приложение "
            "зависло, ничего не произошло. Потом пропустили гол, ставка проиграла.",
        ),
        say(
            c,
            "our logs show the cash-out offer was suspended while a goal was checked",
            "по журналам предложение кэшаута было приостановлено на время проверки гола",
        ),
    )


def app_crash_balance(op: Operator, c: Customer) -> Script:
    return Script(
        c,
        Category.technical_fault,
        say(
            c, "App crashed, money gone, no bet", "Приложение вылетело, деньги списаны, ставки нет"
        ),
        say(
            c,
            "The app crashed while I was placing a bet; my balance went down by "
            f"{amount_in(c, '25')} "
            "but there is no bet in my history.",
            f"Приложение вылетело во время оформления ставки; с баланса списали "
            f"{amount_in(c, '25')}, но в истории ставки нет.",
        ),
        say(
            c,
            "the reserved stake was released back to the balance after the failed placement",
            "зарезервированная сумма вернулась на баланс после неудачного оформления",
        ),
    )


def odds_changed(op: Operator, c: Customer) -> Script:
    return Script(
        c,
        Category.technical_fault,
        say(c, "Odds changed after I confirmed", "Коэффициент изменился после подтверждения"),
        say(
            c,
            "I confirmed a bet at 3.10 and the slip was accepted at 2.85 without asking me.",
            "Подтвердил ставку по 3.10, а купон приняли по 2.85 без моего согласия.",
        ),
        say(
            c,
            "the 'accept any odds changes' setting was switched on in your account",
            "в вашем профиле была включена настройка «принимать любые изменения коэффициентов»",
        ),
    )
