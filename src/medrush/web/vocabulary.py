"""Words the pages show from data (statuses, levels, sexes): marked here so `make messages` extracts
them, since templates translate them from variables (``{{ _(c.status) }}``)."""

from __future__ import annotations

from medrush.kernel.i18n import N_

__all__ = ["SHOWN_FROM_DATA"]

SHOWN_FROM_DATA = (
    # consultation statuses
    N_("waiting"),
    N_("active"),
    N_("closed"),
    N_("referred"),
    # safety levels
    N_("allow"),
    N_("warn"),
    N_("block"),
    N_("emergency"),
    # sexes
    N_("female"),
    N_("male"),
    N_("other"),
    N_("unknown"),
    # prescription statuses and review decisions
    N_("draft"),
    N_("signed"),
    N_("approved"),
    N_("rejected"),
    N_("used"),
    N_("expired"),
    N_("approve"),
    N_("reject"),
    # courier board: status, vehicles, stops, delivery jobs
    N_("online"),
    N_("offline"),
    N_("bicycle"),
    N_("scooter"),
    N_("car"),
    N_("foot"),
    N_("pickup"),
    N_("dropoff"),
    N_("open"),
    N_("offered"),
    N_("assigned"),
    N_("picked_up"),
    N_("delivered"),
    N_("cancelled"),
    # sexes as the family page shows them
    N_("Female"),
    N_("Male"),
    N_("Other"),
    N_("Unknown"),
)
