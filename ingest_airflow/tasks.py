"""What every task of the DAGs does first and last: it is an entry point, so it sets up logging (the library
leaves logging alone: `ingest.logs.quiet_third_party`), and a TerminalError (bad credentials, a mapping
conflict, a source outside the allowed roots) fails it without retries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def entry_point(func: F) -> F:
    """Wrap a task's function: third-party log noise below WARNING, TerminalError → AirflowFailException."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from airflow.sdk.exceptions import AirflowFailException

        from ingest.errors import TerminalError
        from ingest.logs import quiet_third_party

        quiet_third_party()
        try:
            return func(*args, **kwargs)
        except TerminalError as exc:
            raise AirflowFailException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]
