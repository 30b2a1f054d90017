"""``new_evaluation``: the name rules, no overwrite without ``force``, the skeleton, qual/ and README written."""

from __future__ import annotations

import pytest

from fouress_eval.errors import InputError
from fouress_eval.evaluation import skeleton
from fouress_eval.scaffold import new_evaluation


def test_writes_the_skeleton_the_raw_folder_and_its_readme(tmp_path):
    config, raw = new_evaluation("pilot_2", tmp_path)
    assert config == tmp_path / "evaluations" / "pilot_2.yml"
    assert raw == tmp_path / "data_raw" / "pilot_2"
    assert config.read_text(encoding="utf-8") == skeleton("pilot_2")
    assert (raw / "qual").is_dir()
    readme = (raw / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Raw data for the evaluation pilot_2")
    assert "fouress-eval prepare --evaluation pilot_2" in readme and "{name}" not in readme


@pytest.mark.parametrize("name", ["Pilot", "2pilot", "pilot-project", "pilot project", "_pilot", "", "pilöt"])
def test_rejects_a_name_that_is_not_lower_case_letters_digits_and_underscore(tmp_path, name):
    with pytest.raises(InputError, match="not a valid evaluation name"):
        new_evaluation(name, tmp_path)
    assert not (tmp_path / "evaluations").exists() and not (tmp_path / "data_raw").exists()


def test_never_overwrites_without_force(tmp_path):
    config, raw = new_evaluation("pilot", tmp_path)
    config.write_text("name: pilot  # filled in\n", encoding="utf-8")
    (raw / "README.md").write_text("my notes\n", encoding="utf-8")
    with pytest.raises(InputError, match="exists already") as error:
        new_evaluation("pilot", tmp_path)
    assert error.value.file == config
    assert config.read_text(encoding="utf-8") == "name: pilot  # filled in\n"
    new_evaluation("pilot", tmp_path, force=True)
    assert config.read_text(encoding="utf-8") == skeleton("pilot")
    assert (raw / "README.md").read_text(encoding="utf-8") == "my notes\n"  # force rewrites the configuration only
