"""`myositis serve`, `backup`, `restore` and `users add`: running the clinic application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy import Engine

from myositis.cli.io import fail, user_errors
from myositis.cli.render import console
from myositis.db.backup import backup, restore
from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.seed import count_users, ensure_demo_users, is_empty, load_demo_clinic
from myositis.services.access import Role
from myositis.settings import Settings, is_loopback

users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


def _engine(settings: Settings) -> Engine:
    url = settings.resolved_database_url()
    migrate(url)
    return make_engine(url)


def serve_command(
    host: Annotated[str | None, typer.Option(help="interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="port")] = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo",
                                       help="load the synthetic demo clinic if empty")] = True,
    demo_on_network: Annotated[bool, typer.Option(
        "--demo-on-network", help="allow the demo clinic and its accounts on a non-loopback "
                                  "address (a shared demonstration)")] = False,
    workers: Annotated[int | None, typer.Option(
        min=1, max=32, help="worker processes (default: one per CPU core, at most 4)")] = None,
) -> None:
    """Start the clinic web app (SQLite by default), migrating and seeding on first run."""
    import uvicorn

    from myositis.web import create_app
    from myositis.web.security import hash_password
    from myositis.web.workers import check_port_free
    from myositis.web.workers import run as run_workers

    os.environ.setdefault("MYOSITIS_WARM_WORKLIST", "1")  # every worker warms its worklist
    settings = Settings()
    host = host or settings.host
    port = port or settings.port
    if demo and not is_loopback(host) and not demo_on_network:
        fail([("--host", f"{host} is reachable from other machines: the SYNTHETIC demo clinic "
                         "and its accounts are for local use; pass --no-demo for a real install "
                         "(then `myositis users add NAME --role admin`), or --demo-on-network "
                         "for a shared demonstration")])
    # every worker builds its settings from the environment: the bind address decides the
    # default of the Secure cookie flag there too (set only once the server will start)
    os.environ["MYOSITIS_HOST"] = host
    settings = Settings()
    with user_errors(title="Cannot start"):
        check_port_free(host, port)
    engine = _engine(settings)
    sessions = session_factory(engine)
    loaded = 0
    created: dict[str, str] = {}
    if demo:
        created = ensure_demo_users(sessions, hash_password,
                                    {u: settings.demo_password for u in ("admin", "clinician",
                                                                         "researcher")}
                                    if settings.demo_password else None)
        if is_empty(sessions):
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Loading SYNTHETIC demo clinic", total=36)
                loaded = load_demo_clinic(sessions,
                                          progress=lambda n: progress.advance(task, n))
    with sessions() as session:
        from myositis.db.repository import Repository

        patients = Repository(session, actor="cli").count_patients()
    workers = workers or settings.resolved_workers()
    console.print(f"[bold green]myositis clinic[/] on [link]http://{host}:{port}/[/link]  "
                  f"(database: {settings.resolved_database_url()}; {workers} worker"
                  f"{'s' if workers > 1 else ''})")
    console.print(f"{loaded} SYNTHETIC demo patients loaded now; {patients} patients in the "
                  "database." if loaded else f"{patients} patients in the database (no demo "
                  "patients loaded: it was not empty).")
    if created:
        console.print("Demo accounts created (SYNTHETIC data only); each password is shown "
                      "[bold]this once[/] and stored only as a hash:")
        for username, password in created.items():
            console.print(f"  user [bold]{username}[/]  password [bold]{password}[/]")
    elif demo:
        console.print("Demo accounts exist (admin, clinician, researcher); their passwords were "
                      "shown when they were created (`myositis users reset-password NAME` sets "
                      "a new one).")
    if count_users(sessions) == 0:
        console.print("[bold yellow]No user accounts yet.[/] Create the first administrator: "
                      "`myositis users add NAME --role admin`.")
    console.print("[italic yellow]Decision support only; it does not prescribe.[/]")
    console.print("The server keeps this terminal busy; press Ctrl+C to stop it.")
    if workers == 1:
        uvicorn.run(create_app(settings, engine=engine), host=host, port=port,
                    log_level="warning")
    else:
        # Each worker process builds its app from the same MYOSITIS_* environment; the signing
        # key is created here first so that every worker reads the same one.
        settings.resolved_secret()
        engine.dispose()
        run_workers(uvicorn.Config("myositis.web.app:worker_app", factory=True, host=host,
                                   port=port, log_level="warning"), workers)


def backup_command(path: Annotated[Path, typer.Argument(help="backup file to write")]) -> None:
    """Write a consistent JSON backup of the whole database."""
    counts = backup(_engine(Settings()), path)
    console.print(f"backup written to {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def restore_command(path: Annotated[Path, typer.Argument(help="backup file to load")]) -> None:
    """Load a backup into an empty database (refuses to overwrite existing data)."""
    if not path.exists():
        fail([("path", "no such backup file")])
    with user_errors(title="Cannot restore"):
        counts = restore(_engine(Settings()), path)
    console.print("restored: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@users_app.command("add")
def add_user(username: str, role: Annotated[Role, typer.Option(help="admin|clinician|researcher")],
             password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                                   confirmation_prompt=True)]) -> None:
    """Create a user account."""
    from myositis.db.repository import Repository
    from myositis.web.security import hash_password

    if len(password) < 12:
        fail([("password", "must be at least 12 characters")])
    sessions = session_factory(_engine(Settings()))
    with sessions() as session:
        repo = Repository(session, actor="cli")
        if repo.user(username):
            fail([("username", "already exists")])
        repo.add_user(username, hash_password(password), role.value)
        session.commit()
    console.print(f"user {username} ({role.value}) created")


@users_app.command("list")
def list_users() -> None:
    """List user accounts with their role and whether they are active."""
    from rich.table import Table

    from myositis.db.repository import Repository

    with session_factory(_engine(Settings()))() as session:
        table = Table("username", "role", "active", "created")
        for user in Repository(session, actor="cli").users():
            table.add_row(user.username, user.role, "yes" if user.active else "no",
                          user.created_at.strftime("%Y-%m-%d") if user.created_at else "")
        console.print(table)


def _change(username: str, **changes: object) -> None:
    from myositis.db.repository import Repository

    with session_factory(_engine(Settings()))() as session, \
            user_errors(title="Cannot change the account"):
        Repository(session, actor="cli").set_user(username, **changes)  # type: ignore[arg-type]
        session.commit()


@users_app.command("disable")
def disable_user(username: str) -> None:
    """Disable an account (its sessions and tokens stop working within seconds)."""
    _change(username, active=False)
    console.print(f"user {username} disabled")


@users_app.command("enable")
def enable_user(username: str) -> None:
    """Enable a disabled account."""
    _change(username, active=True)
    console.print(f"user {username} enabled")


@users_app.command("set-role")
def set_role(username: str,
             role: Annotated[Role, typer.Argument(help="admin|clinician|researcher")]) -> None:
    """Change an account's role."""
    _change(username, role=role.value)
    console.print(f"user {username} is now {role.value}")


@users_app.command("reset-totp")
def reset_totp(username: str) -> None:
    """Turn off an account's authenticator requirement (a lost device); audited."""
    from myositis.db.repository import Repository

    with session_factory(_engine(Settings()))() as session, \
            user_errors(title="Cannot change the account"):
        Repository(session, actor="cli").set_totp(username, None)
        session.commit()
    console.print(f"authenticator requirement of {username} turned off")


@users_app.command("reset-password")
def reset_password(username: str,
                   password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                                         confirmation_prompt=True)]) -> None:
    """Set a new password (at least 12 characters)."""
    from myositis.web.security import hash_password

    if len(password) < 12:
        fail([("password", "must be at least 12 characters")])
    _change(username, password_hash=hash_password(password))
    console.print(f"password of {username} reset")
