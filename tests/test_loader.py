from __future__ import annotations

from pathlib import Path

import pytest

from hrdocs.errors import ValidationFailed
from hrdocs.loader import load_model, parse_yaml
from hrdocs.models import RoleSpec, Settings
from tests.util import write_files


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_yaml("id: x\ntitle: [unclosed\nsummary: y\n", "roles/x.yaml")
    assert "roles/x.yaml:" in str(err.value)
    assert err.value.problems[0].line in (2, 3, 4)


def test_python_tags_are_refused() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_yaml("id: !!python/object/apply:os.system ['echo pwned']\n", "evil.yaml")
    assert "evil.yaml:1" in str(err.value)
    assert "python/object" in str(err.value)


def test_every_problem_in_a_file_is_reported_with_its_line(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "roles/x.yaml": """
                id: x
                title: X
                departmnet: Sales
                employment_type: sometimes
                pay_range:
                  min: -5
                  max: 10
            """
        },
    )
    with pytest.raises(ValidationFailed) as err:
        load_model(RoleSpec, tmp_path / "roles/x.yaml")
    text = str(err.value)
    assert f"{tmp_path / 'roles/x.yaml'}:3: departmnet: unknown key" in text
    assert ":4: employment_type:" in text
    assert ":6: pay_range.min:" in text
    assert len(err.value.problems) == 3


def test_settings_report_nested_keys_and_never_echo_values(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "hrdocs.yaml": """
                company:
                  name: Acme
                voice:
                  locale: xx_YY
                  tone: chummy
                brand:
                  colours:
                    primary: not-a-colour-SECRET
            """
        },
    )
    with pytest.raises(ValidationFailed) as err:
        load_model(Settings, tmp_path / "hrdocs.yaml")
    text = str(err.value)
    assert ":4: voice.locale: unknown locale" in text
    assert ":5: voice.tone:" in text
    assert ":8: brand.colours.primary:" in text
    assert "SECRET" not in text
