"""Configuration: l10n.toml or [tool.l10n], defaults, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.config import ConfigError, find_root, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source_lang == "fr"
    assert config.target_langs == ("en",)
    assert config.source_dir == tmp_path.resolve() / "content/fr"
    assert config.output_roots("en") == [tmp_path.resolve() / "content/en"]
    assert config.front_matter_keys == ("title", "description")
    assert config.min_completion == 80
    assert config.include_fuzzy is False
    assert config.glossary == tmp_path.resolve() / "locales/glossary.tsv"
    assert config.jobs is None  # the CPU count


def test_l10n_toml_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "l10n.toml",
        """
source_lang = "fr"
target_langs = ["en", "pt-BR", "de_CH"]
source_dir = "src/content/blog/fr"
output_dir = "src/content/blog/{lang}"
front_matter_keys = ["title", "seo.title", "tags[]"]
min_completion = 50
include_fuzzy = true
backend = "libre"
compendia = ["locales/compendium.po"]
[backends.libre]
url = "http://127.0.0.1:5000"
[front_matter]
set = { lang = "{lang}" }
""",
    )
    config = load_config(tmp_path)
    assert config.target_langs == ("en", "pt-BR", "de_CH")
    assert config.source_dir == tmp_path.resolve() / "src/content/blog/fr"
    assert config.output_roots("de_CH") == [tmp_path.resolve() / "src/content/blog/de_CH"]
    assert config.front_matter_keys == ("title", "seo.title", "tags[]")
    assert config.min_completion == 50
    assert config.include_fuzzy is True
    assert config.backend == "libre"
    assert config.backends["libre"]["url"] == "http://127.0.0.1:5000"
    assert config.front_matter["set"] == {"lang": "{lang}"}
    assert config.compendia == (tmp_path.resolve() / "locales/compendium.po",)


def test_pyproject_tool_section_is_read(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.l10n]\ntarget_langs = ["es"]\n')
    assert load_config(tmp_path).target_langs == ("es",)


def test_l10n_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.l10n]\ntarget_langs = ["es"]\n')
    write(tmp_path / "l10n.toml", 'target_langs = ["de"]\n')
    assert load_config(tmp_path).target_langs == ("de",)


@pytest.mark.parametrize(
    ("toml", "key", "line"),
    [
        ('target_langs = ["en"]\nsource_dirr = "x"\n', "source_dirr", 2),
        ('target_langs = ["klingon-xx"]\n', "target_langs", 1),
        ('source_lang = "zz"\n', "source_lang", 1),
        ('target_langs = "en"\n', "target_langs", 1),
        ('target_langs = ["fr"]\n', "target_langs", 1),
        ("min_completion = 120\n", "min_completion", 1),
        ('include_fuzzy = "yes"\n', "include_fuzzy", 1),
        ('output_dir = "content/en"\n', "output_dir", 1),
        ('output_dir = "content/{lang}/{slug}"\n', "output_dir", 1),
        ('source_dir = "../elsewhere"\n', "source_dir", 1),
        ('front_matter_keys = ["title", "bad key"]\n', "front_matter_keys", 1),
        ("[front_matter]\nsett = {}\n", "front_matter.sett", 2),
        ("[backends]\nlibre = 3\n", "backends.libre", 2),
        ("jobs = 0\n", "jobs", 1),
        ('jobs = "all"\n', "jobs", 1),
    ],
)
def test_bad_keys_and_values_name_the_key(tmp_path: Path, toml: str, key: str, line: int) -> None:
    path = write(tmp_path / "l10n.toml", toml)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{path}:{line}: {key}: ")


def test_unknown_key_in_pyproject_is_named_with_its_section(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.l10n]\ntargets = ["en"]\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: tool\.l10n\.targets: unknown key"):
        load_config(tmp_path)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "l10n.toml", 'source_lang = "fr"\ntarget_langs = [en]\n')
    with pytest.raises(ConfigError, match=rf"^{path}:2: invalid TOML"):
        load_config(tmp_path)


def test_find_root_walks_up_to_the_configured_project(tmp_path: Path) -> None:
    write(tmp_path / "site/l10n.toml", "")
    deep = tmp_path / "site/content/fr/tech"
    deep.mkdir(parents=True)
    assert find_root(deep) == (tmp_path / "site").resolve()


def test_find_root_ignores_a_pyproject_without_the_tool_section(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "other"\n')
    write(tmp_path / "app/pyproject.toml", '[project]\nname = "app"\n')
    start = tmp_path / "app"
    assert find_root(start) == start.resolve()
    write(tmp_path / "pyproject.toml", '[tool.l10n]\nsource_lang = "fr"\n')
    assert find_root(start) == tmp_path.resolve()
