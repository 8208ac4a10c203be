"""Property-based tests of normalize.py and validation.py.

The validators promise that a value they accept is one the server accepts too (no -32000, no HTTP
500 from a PHP type error), so their acceptance is checked against the test server's own
implementation of the server's checks (tests/oco_test_server/constraints.py).
"""

from __future__ import annotations

import copy
import json
import string
from datetime import datetime

import pytest
from hypothesis import Phase, example, find, given, settings
from hypothesis import strategies as st

from ansible_collections.oco.oco.plugins.module_utils import validation
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoValidationError
from ansible_collections.oco.oco.plugins.module_utils.normalize import SECRET_FIELDS, as_list, as_object, normalize, to_int

from oco_test_server import constraints
from oco_test_server.errors import PhpFatal, ServerError

settings.register_profile("oco", deadline=None, max_examples=300)
settings.load_profile("oco")

# ---------------------------------------------------------------------------------------- normalize

KEYS = st.sampled_from(["id", "computer_id", "hostname", "agent_key", "server_key", "state", "ram", "battery_level",
                        "version", "notes", "priority", "uptime", "name", "return_code", "package_family_id"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 12, 10 ** 12), st.floats(allow_nan=False),
                    st.text(max_size=12), st.from_regex(r"\A-?[0-9]{1,12}\Z"), st.from_regex(r"\A-?[0-9]+\.[0-9]+\Z"))
PAYLOADS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(KEYS, inner, max_size=6)), max_leaves=30)


def keys_of(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def pairs(original, normalised):
    """(key, original value, normalised value) for every scalar kept by normalize."""
    if isinstance(original, dict):
        for key, item in original.items():
            if key in normalised:
                if isinstance(item, (dict, list)):
                    yield from pairs(item, normalised[key])
                else:
                    yield key, item, normalised[key]
    elif isinstance(original, list):
        for item, done in zip(original, normalised):
            yield from pairs(item, done)


@given(PAYLOADS)
def test_normalize_strips_secrets_at_every_depth(payload):
    assert not SECRET_FIELDS & set(keys_of(normalize(payload)))


@given(PAYLOADS)
def test_normalize_keeps_secrets_only_on_request_and_keeps_the_shape(payload):
    kept = normalize(payload, keep_secrets=True)
    assert set(keys_of(kept)) == set(keys_of(payload))


@given(PAYLOADS)
def test_normalize_is_idempotent_and_leaves_its_input_alone(payload):
    before = copy.deepcopy(payload)
    once = normalize(payload)
    assert payload == before
    assert normalize(once) == once
    json.dumps(once)  # still JSON: a module can return it as is


@given(PAYLOADS)
@example({"id": "١٢"})
@example({"id": "12\n"})
@example({"computer_id": "0x1f"})
def test_only_plain_decimal_strings_become_ints(payload):
    for key, original, result in pairs(payload, normalize(payload)):
        if isinstance(original, str) and result is not original and result != original:
            assert isinstance(result, (int, float)), (key, original, result)
            assert set(original.lstrip("-")) <= set(string.digits + ".eE+-"), (key, original)
            assert float(original) == result


@given(st.integers(-10 ** 15, 10 ** 15))
def test_ids_as_strings_and_ints_agree(number):
    assert normalize({"id": str(number)}) == {"id": number} == normalize({"id": number})
    assert to_int(str(number)) == to_int(number) == number
    assert to_int(" %d " % number) == number


@given(st.text())
def test_to_int_never_raises(text):
    result = to_int(text)
    assert result is None or isinstance(result, int)


def test_empty_php_arrays():
    assert as_object([]) == {} and as_object(None) == {} and as_object({"a": 1}) == {"a": 1}
    assert as_list({}) == [] and as_list(None) == [] and as_list([1]) == [1]


# --------------------------------------------------------------------------------------- validation

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def server_accepts_ip_range(entry):
    try:
        constraints.compile_ip_ranges([entry])
    except (ServerError, PhpFatal):
        return False
    return True


def server_accepts_time_frame(entry):
    """Accepted on every weekday: OCO checks an entry only on the day its prefix names."""
    try:
        for day in WEEKDAYS:
            for item in constraints.entries([entry], "time_frames"):
                constraints.check_time_frame(item, day)
    except ServerError:
        return False
    return True


IP_TEXT = st.one_of(
    st.text(alphabet="0123456789abcdef.:/! x٣", max_size=24),
    st.builds(lambda neg, ip, mask: neg + ip + mask, st.sampled_from(["", "!", " "]),
              st.one_of(st.ip_addresses().map(str), st.text(max_size=6)),
              st.one_of(st.just(""), st.integers(-5, 200).map(lambda n: "/%d" % n),
                        st.text(max_size=4).map(lambda t: "/" + t))),
)


@given(IP_TEXT)
@example("10.0.0.0/٨")
@example("10.0.0.0/")
@example("10.0.0.0/x")
@example("!::1/128")
def test_accepted_ip_ranges_are_accepted_by_the_server(entry):
    try:
        accepted = validation.ip_ranges([entry])
    except OcoValidationError as exc:
        assert "agent_ip_ranges" in str(exc)
        return
    assert accepted == [entry.strip()]
    assert server_accepts_ip_range(entry), entry


@given(st.ip_addresses(), st.booleans(), st.booleans())
def test_valid_ip_ranges_pass(address, negate, with_mask):
    entry = ("!" if negate else "") + str(address) + ("/%d" % (address.max_prefixlen // 2) if with_mask else "")
    assert validation.ip_ranges([entry]) == [entry]


TIME_TEXT = st.one_of(
    st.text(alphabet="0123456789:-! MONTUESATmonday\t", max_size=24),
    st.builds(lambda neg, day, sep, h1, m1, h2, m2: "%s%s%s%s:%s-%s:%s" % (neg, day, sep, h1, m1, h2, m2),
              st.sampled_from(["", "!"]), st.sampled_from(["", "MON", "tue", "Wednesday", "SUNDAY", "Xyz"]),
              st.sampled_from(["", " ", "  ", "\t"]), st.integers(0, 30).map(str), st.sampled_from(["00", "5", "59", "60"]),
              st.integers(0, 30).map(str), st.sampled_from(["00", "30", "7"])),
)


@given(TIME_TEXT)
@example("MON8:00-17:00")
@example("MON\t8:00-17:00")
@example("8:00 - 17:00")
def test_accepted_time_frames_are_accepted_by_the_server(entry):
    try:
        accepted = validation.time_frames([entry])
    except OcoValidationError as exc:
        assert "time_frames" in str(exc)
        return
    assert accepted == [entry.strip()]
    assert server_accepts_time_frame(entry), entry


@given(st.sampled_from(["", "!"]), st.sampled_from(["", "MON ", "fri ", "Sat  "]), st.integers(0, 24 * 60 - 1),
       st.integers(1, 24 * 60))
def test_well_formed_time_frames_pass(neg, day, start, length):
    end = min(start + length, 24 * 60)
    entry = "%s%s%d:%02d-%d:%02d" % (neg, day, start // 60, start % 60, end // 60, end % 60)
    assert validation.time_frames([entry]) == [entry]


@given(st.sampled_from(["", "!"]), st.sampled_from(["", "MON ", "sun "]), st.integers(0, 24 * 60 - 1),
       st.integers(0, 24 * 60 - 1))
def test_frames_that_never_match_are_refused_with_the_split(neg, day, start, before):
    # Start at or after the end: the server never matches it, so its jobs would never run.
    end = min(before, start)
    entry = "%s%s%d:%02d-%d:%02d" % (neg, day, start // 60, start % 60, end // 60, end % 60)
    with pytest.raises(OcoValidationError, match="never matches.*split it into two"):
        validation.time_frames([entry])


@pytest.mark.parametrize("day", ["MONDAY", "tuesday", "Wednes", "FRIDAY", "Sund"])
def test_weekdays_longer_than_three_letters_are_refused(day):
    with pytest.raises(OcoValidationError) as info:
        validation.time_frames(["%s 8:00-17:00" % day])
    message = str(info.value)
    assert "first three letters" in message and "write %s 8:00-17:00" % day[:3].upper() in message, message


@given(st.one_of(st.text(), st.integers(), st.none(), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)))
def test_lists_of_strings_only(value):
    for check, option in ((validation.ip_ranges, "agent_ip_ranges"), (validation.time_frames, "time_frames")):
        if value is None or value == []:
            assert check(value) == value
            continue
        with pytest.raises(OcoValidationError, match=option):
            check(value)


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)).map(lambda d: d.replace(microsecond=0)),
       st.sampled_from(["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]))
def test_dates_round_trip(moment, fmt):
    assert validation.server_date("date_start", moment.strftime(fmt)) == moment.strftime("%Y-%m-%d %H:%M:%S")


@given(st.text(max_size=30))
@example("2026-02-30 10:00:00")
@example("2026-13-01")
@example("24.12.2026 18:00")
@example("")
def test_dates_are_server_dates_or_named_errors(text):
    try:
        result = validation.server_date("date_end", text)
    except OcoValidationError as exc:
        assert "date_end" in str(exc)
        return
    assert datetime.strptime(result, "%Y-%m-%d %H:%M:%S")


@given(st.integers(-10 ** 6, 10 ** 6))
def test_priority_range(value):
    if -100 <= value <= 100:
        assert validation.priority(value) == value
    else:
        with pytest.raises(OcoValidationError, match="priority"):
            validation.priority(value)


@given(st.integers(-10 ** 6, 10 ** 6))
def test_restart_timeout_rejects_only_zero(value):
    if value == 0:
        with pytest.raises(OcoValidationError, match="restart_timeout"):
            validation.restart_timeout(value)
    else:
        assert validation.restart_timeout(value) == value


def validator_accepts(check, entry):
    try:
        check([entry])
    except OcoValidationError:
        return False
    return True


@pytest.mark.parametrize("strategy, check, server_accepts", [
    (IP_TEXT, validation.ip_ranges, server_accepts_ip_range),
    (TIME_TEXT, validation.time_frames, server_accepts_time_frame),
], ids=["agent_ip_ranges", "time_frames"])
def test_server_comparisons_are_not_vacuous(strategy, check, server_accepts):
    """The "accepted by the server" properties compare only what the validator accepts: their
    strategies must keep producing accepted entries (or the comparison never runs) and rejected
    ones (or the rejection path is never tried)."""
    search = settings(database=None, derandomize=True, max_examples=2000, phases=[Phase.generate])
    accepted = find(strategy, lambda entry: validator_accepts(check, entry), settings=search)
    assert server_accepts(accepted), accepted
    rejected = find(strategy, lambda entry: not validator_accepts(check, entry), settings=search)
    assert not validator_accepts(check, rejected)
    assert server_accepts_ip_range("10.0.0.0/8") and not server_accepts_ip_range("10.0.0.0/x")
    assert server_accepts_time_frame("MON 8:00-17:00") and not server_accepts_time_frame("8:00 - 17:00")
