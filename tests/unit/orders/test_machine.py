"""The order state machine as a table, and a property: random action sequences stay legal."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from medrush.orders.enums import TERMINAL, TRANSITIONS, OrderStatus, can_move

S = OrderStatus


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [S.PLACED, S.PAID, S.ACCEPTED, S.PICKING, S.READY, S.COURIER_ASSIGNED, S.PICKED_UP, S.DELIVERED]
    assert all(can_move(a, b) for a, b in itertools.pairwise(path))


def test_skipping_steps_and_going_back_are_refused() -> None:
    assert can_move(S.PLACED, S.ACCEPTED) is False
    assert can_move(S.PAID, S.READY) is False
    assert can_move(S.DELIVERED, S.PAID) is False
    assert can_move(S.PICKED_UP, S.CANCELLED) is False
    assert can_move(S.CANCELLED, S.PAID) is False


def test_refunded_is_final_and_only_cancelled_or_delivered_lead_there() -> None:
    assert TRANSITIONS[S.REFUNDED] == frozenset()
    assert frozenset({S.REFUNDED}) == TERMINAL
    assert {s for s, targets in TRANSITIONS.items() if S.REFUNDED in targets} == {S.CANCELLED, S.DELIVERED}


def test_every_state_is_reachable_from_placed() -> None:
    seen, frontier = {S.PLACED}, [S.PLACED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S)


@given(st.lists(st.sampled_from(list(S)), max_size=40))
def test_random_actions_never_reach_an_illegal_state(attempts: list[OrderStatus]) -> None:
    state, history = S.PLACED, [S.PLACED]
    for target in attempts:
        if can_move(state, target):
            state = target
            history.append(state)
    for a, b in itertools.pairwise(history):
        assert b in TRANSITIONS[a]
    if S.DELIVERED in history:
        assert S.PICKED_UP in history or S.READY in history
    if S.PAID in history[1:]:
        assert history[1] in (S.PAID, S.CANCELLED)
