"""The ``medrush`` command: one Typer app, each area's commands in its own module of this package."""

from __future__ import annotations

import os
import sys
import uuid
from typing import Annotated

import typer

from medrush.cli import catalog, courier, dispatch, pharmacies, safety, simulate
from medrush.cli.bootstrap import fail, ready, run, say

__all__ = ["app", "main"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="medrush: urgent medicine platform",
)
app.add_typer(dispatch.app, name="dispatch")
app.add_typer(catalog.app, name="catalog")
app.add_typer(safety.app, name="safety")
app.add_typer(courier.app, name="courier")
app.add_typer(pharmacies.app, name="pharmacies")
app.add_typer(simulate.app, name="simulate")
app.command("search")(catalog.search_command)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
user_app = typer.Typer(no_args_is_help=True, help="Accounts.")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest revision."""

    async def _go() -> None:
        await ready(load_shipped_data=False)
        say("medrush: schema is up to date")

    run(_go())


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message", help="what changed")]) -> None:
    """Autogenerate a migration from the models (developers)."""
    from alembic import command

    from medrush.kernel import db
    from medrush.migrations import alembic_config

    async def _go() -> None:
        engine = await ready(load_shipped_data=False, quiet=True)
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda c: command.revision(alembic_config(c), message=message, autogenerate=True)
            )
        await db.dispose()

    run(_go())


def _pharmacy_id(value: str | None, roles: list[str]) -> uuid.UUID | None:
    """The ``--pharmacy`` option checked against the roles: staff need one, others take none."""
    staff = {"pharmacy_staff", "pharmacist"} & set(roles)
    if value is None:
        if "pharmacy_staff" in roles:
            raise fail("a pharmacy_staff account needs --pharmacy ID")
        return None
    if not staff:
        raise fail("--pharmacy is for pharmacy_staff or pharmacist accounts")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise fail(f"--pharmacy: {value!r} is not a pharmacy id") from None


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="e-mail used to sign in")],
    role: Annotated[list[str], typer.Option("--role", "-r", help="role, repeatable")] = ["customer"],  # noqa: B006
    name: Annotated[str | None, typer.Option(help="display name")] = None,
    password: Annotated[str | None, typer.Option(help="password (prompted when absent)")] = None,
    pharmacy: Annotated[
        str | None, typer.Option(help="id of the pharmacy a pharmacy_staff or pharmacist account works for")
    ] = None,
) -> None:
    """Create an account with the given roles."""
    from medrush.accounts import create_user
    from medrush.kernel import db

    pharmacy_id = _pharmacy_id(pharmacy, role)

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)

    async def _go() -> None:
        await ready(load_shipped_data=False)
        async with db.session_scope() as session:
            if pharmacy_id is not None:
                from medrush import pharmacies

                await pharmacies.get_pharmacy(session, pharmacy_id)  # NotFound: one line, exit 2
            user = await create_user(
                session,
                email=email,
                password=password or "",
                display_name=name or email.split("@")[0],
                roles=role,
                pharmacy_id=pharmacy_id,
            )
        print(f"created {user.email} ({', '.join(user.roles)}) id={user.id}")

    run(_go())


def _export_embedded_url() -> None:
    """Let server worker processes reach the embedded database this process keeps running."""
    from medrush.kernel import db

    os.environ.setdefault("MEDRUSH_DATABASE_URL", db.database_url())


def _serve(host: str, port: int, workers: int) -> None:
    from medrush.settings import get_settings
    from medrush.web.server import serve

    serve(host, port, workers, get_settings().log_level)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    workers: Annotated[int | None, typer.Option(help="web processes")] = None,
) -> None:
    """Run the web service (migrates first)."""
    from medrush.settings import get_settings

    run(ready())
    _export_embedded_url()
    settings = get_settings()
    _serve(host or settings.host, port or settings.port, workers or settings.workers)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load demo data and exit")] = False,
) -> None:
    """Migrate, load demo data when the database is empty, and serve on 127.0.0.1."""
    from medrush.demo import DEMO_LOGINS, load_demo_data

    async def _go() -> int:
        await ready()
        return await load_demo_data()

    created = run(_go())
    say("medrush: demo data loaded" if created else "medrush: demo data already present")
    url = f"http://127.0.0.1:{port}"
    print(f"\nmedrush is running at {url}")
    print(f"  shop:      {url}/\n  consoles:  {url}/console\n  API docs:  {url}/docs")
    print("demo sign-ins (password for all: medrush-demo):")
    for email, what in DEMO_LOGINS:
        print(f"  {email:32} {what}")
    sys.stdout.flush()
    if no_serve:
        return
    _export_embedded_url()
    os.environ.setdefault("MEDRUSH_DEMO_COURIERS", "true")
    _serve("127.0.0.1", port, 1)


@app.command()
def worker() -> None:
    """Relay the outbox and run background jobs (run several for more throughput)."""
    from medrush.worker import run_worker

    run(ready(load_shipped_data=False))
    _export_embedded_url()
    run(run_worker())


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":  # pragma: no cover
    main()
