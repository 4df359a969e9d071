"""Values files and --set arguments merge the way Helm merges them."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingress_nginx_values.values_loading import (
    SetArgumentError,
    ValuesFileNotFound,
    ValuesNotAMapping,
    ValuesSyntaxError,
    coalesce_with_defaults,
    line_of,
    load_release_values,
    load_values_file,
    merge_values,
    parse_set,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_later_file_merges_maps_and_replaces_lists_and_scalars(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "controller:\n  kind: DaemonSet\n  tolerations: [{key: a}, {key: b}]\n  config: {x: '1'}\n")
    second = write(tmp_path, "b.yaml", "controller:\n  tolerations: [{key: c}]\n  config: {w: '2'}\n  hostNetwork: true\n")
    merged = load_release_values([first, second])
    assert merged.values == {
        "controller": {
            "kind": "DaemonSet",
            "tolerations": [{"key": "c"}],
            "config": {"x": "1", "w": "2"},
            "hostNetwork": True,
        }
    }
    assert merged.origin(("controller", "kind")) == str(first)
    assert merged.origin(("controller", "tolerations", 0, "key")) == str(second)


def test_null_is_kept_in_user_values_and_deletes_the_default() -> None:
    user = merge_values({"controller": {"image": {"digest": "sha256:x"}}}, {"controller": {"image": {"digest": None}}})
    assert user == {"controller": {"image": {"digest": None}}}
    defaults = {"controller": {"image": {"digest": "sha256:up", "tag": "v1"}}}
    assert coalesce_with_defaults(defaults, user) == {"controller": {"image": {"tag": "v1"}}}


def test_null_for_an_undeclared_key_is_kept_as_helm_keeps_it() -> None:
    assert coalesce_with_defaults({"a": 1}, {"b": None}) == {"a": 1, "b": None}


def test_user_scalar_replaces_a_default_map_and_defaults_fill_the_rest() -> None:
    defaults = {"tcp": {}, "controller": {"kind": "Deployment", "replicaCount": 1}}
    assert coalesce_with_defaults(defaults, {"controller": {"kind": "DaemonSet"}, "tcp": {"80": "x"}}) == {
        "tcp": {"80": "x"},
        "controller": {"kind": "DaemonSet", "replicaCount": 1},
    }


def test_keys_become_strings_and_dates_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "tcp:\n  8080: default/svc:80\nstamp: 2024-01-02\n")
    assert load_values_file(path) == {"tcp": {"8080": "default/svc:80"}, "stamp": "2024-01-02"}


def test_empty_file_is_no_values(tmp_path: Path) -> None:
    assert load_values_file(write(tmp_path, "empty.yaml", "# nothing\n")) == {}


def test_missing_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ValuesFileNotFound, match="no such file"):
        load_values_file(tmp_path / "absent.yaml")


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "controller:\n  kind: DaemonSet\n   hostNetwork: true\n")
    with pytest.raises(ValuesSyntaxError) as caught:
        load_values_file(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: invalid YAML")


def test_duplicate_keys_are_refused_like_helm_does(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", "tcp:\n  8080: a/b:1\n  '8080': c/d:2\n")
    with pytest.raises(ValuesSyntaxError, match="defined twice"):
        load_values_file(path)


def test_a_list_document_is_not_values(tmp_path: Path) -> None:
    with pytest.raises(ValuesNotAMapping, match="found list"):
        load_values_file(write(tmp_path, "list.yaml", "- a\n- b\n"))


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("controller.kind=DaemonSet", {"controller": {"kind": "DaemonSet"}}),
        ("controller.replicaCount=3", {"controller": {"replicaCount": 3}}),
        ("controller.hostNetwork=true,a=FALSE", {"controller": {"hostNetwork": True}, "a": False}),
        ("controller.image.digest=null", {"controller": {"image": {"digest": None}}}),
        ("tag=0123", {"tag": "0123"}),
        ("zero=0", {"zero": 0}),
        ("ratio=1.5", {"ratio": "1.5"}),
        (r"controller.nodeSelector.kubernetes\.io/os=linux", {"controller": {"nodeSelector": {"kubernetes.io/os": "linux"}}}),
        (r"a=x\,y", {"a": "x,y"}),
        ("controller.tolerations[1].key=k", {"controller": {"tolerations": [None, {"key": "k"}]}}),
        ("ips={10.0.0.1,10.0.0.2}", {"ips": ["10.0.0.1", "10.0.0.2"]}),
        ("a.b=1,a.c=2", {"a": {"b": 1, "c": 2}}),
    ],
)
def test_set_is_parsed_like_helm(argument: str, expected: dict) -> None:
    assert parse_set(argument) == expected


@pytest.mark.parametrize("argument", ["controller.kind", "=x", "a..b=1"])
def test_malformed_set_is_a_typed_error(argument: str) -> None:
    with pytest.raises(SetArgumentError):
        parse_set(argument)


def test_set_applies_after_the_files(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "controller:\n  kind: DaemonSet\n  replicaCount: 2\n")
    merged = load_release_values([path], ["controller.replicaCount=5"])
    assert merged.values == {"controller": {"kind": "DaemonSet", "replicaCount": 5}}
    assert merged.origin(("controller", "replicaCount")) == "--set controller.replicaCount=5"


def test_line_of_finds_the_deepest_present_key() -> None:
    text = "controller:\n  kind: DaemonSet\n  tolerations:\n    - key: a\n    - key: b\n"
    assert line_of(text, ("controller", "tolerations", 1, "key")) == 5
    assert line_of(text, ("controller", "dnsPolicy")) == 1


def test_yaml_1_1_booleans_read_as_helm_reads_them(tmp_path: Path) -> None:
    # Helm (go-yaml v2) reads bare y/n/yes/on/off as booleans, keys included;
    # `helm template` with `config: {y: "2"}` writes the ConfigMap key "true".
    path = write(tmp_path, "v.yaml", 'controller:\n  hostNetwork: y\n  a: N\n  b: "y"\n  c: yes\n  d: off\n  config: {y: "2"}\n')
    assert load_release_values([path]).values == {
        "controller": {"hostNetwork": True, "a": False, "b": "y", "c": True, "d": False, "config": {"true": "2"}}
    }
