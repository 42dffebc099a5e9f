"""exitban warmup compiles the engine into Numba's cache (or loads it) and says where the cache is."""

from __future__ import annotations

from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.compiled import cache_locations, engine_compiled

runner = CliRunner()


def test_warmup_leaves_the_engine_compiled_and_names_the_cache() -> None:
    result = runner.invoke(app, ["warmup"])
    assert result.exit_code == 0, result.output
    assert engine_compiled() is True
    assert "Numba's cache: " in result.output
    assert all(str(p.parent if p.name == "__pycache__" else p) in result.output for p in cache_locations())
    assert "compiled" in result.output


def test_a_second_warmup_is_quick_and_says_so() -> None:
    exitban.warmup()
    result = runner.invoke(app, ["warmup"])
    assert result.exit_code == 0, result.output
    assert "the engine was compiled already: loaded from Numba's cache in" in result.output


def test_the_cache_is_beside_the_engine_or_in_numbas_user_cache() -> None:
    locations = cache_locations()
    assert locations, "the engine has cached functions"
    engine = exitban.__file__.rsplit("/", 1)[0] + "/engine"
    assert all(str(p).startswith(engine) or "numba" in str(p) for p in locations), locations
