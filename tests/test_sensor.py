"""The submission-files sensor, evaluated for real against an instance: it asks for the
partition of the year whose files appeared or changed, and adds a new year."""

import shutil

import dagster as dg
from conftest import FIXTURES

from orchestration.definitions import defs, resources


def evaluate(instance, cursor=None):
    # the sensor's own evaluation with a real context and instance (evaluate_tick would
    # also validate dynamic partition keys, which needs Dagster's private loading context)
    sensor = defs.resolve_sensor_def("submission_files")
    # the settings as the environment gives them now (the test sets EGOV_DATA_DIR)
    context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs,
                                      resources={"settings": resources()["settings"]})
    return sensor(context)


def partitions_of(result):
    return sorted(request.partition_key for request in result.run_requests)


def test_sensor_requests_the_year_whose_files_changed(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", data)
    monkeypatch.setenv("EGOV_DATA_DIR", str(data))
    instance = dg.DagsterInstance.ephemeral()

    first = evaluate(instance)
    assert partitions_of(first) == ["2017", "2018"]
    [added] = first.dynamic_partitions_requests
    assert (added.partitions_def_name, sorted(added.partition_keys)) == ("years", ["2017", "2018"])
    instance.add_dynamic_partitions("years", ["2017", "2018"])

    assert evaluate(instance, first.cursor).run_requests == []  # nothing changed

    (data / "submissions" / "2018" / "late.csv").write_text("unit_code,indicator_code,value\n46.A,I1,1\n")
    changed = evaluate(instance, first.cursor)
    assert partitions_of(changed) == ["2018"] and not changed.dynamic_partitions_requests

    (data / "submissions" / "2021").mkdir()
    (data / "submissions" / "2021" / "a.csv").write_text("unit_code,indicator_code,value\n46.A,I1,1\n")
    new_year = evaluate(instance, changed.cursor)
    assert partitions_of(new_year) == ["2021"]
    assert new_year.dynamic_partitions_requests[0].partition_keys == ["2021"]


def test_sensor_is_off_by_default_and_runs_the_annual_job():
    sensor = defs.resolve_sensor_def("submission_files")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.job_name == "annual_run"
