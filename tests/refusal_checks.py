"""Checks for tests that run many bad-input cases, one task each, in a single playbook."""

from __future__ import annotations

import oco_helpers


def words_missing(message, words):
    """The words (compared case-insensitively) that ``message`` does not contain."""
    return [word for word in words if word.lower() not in message.lower()]


def refused(case, answer):
    """The task failed cleanly (no traceback) with a message containing every word of the case."""
    words, outcome = answer
    assert outcome.get("failed"), "was accepted"
    assert "exception" not in outcome or "traceback unavailable" in outcome["exception"], \
        "raised %s" % outcome["exception"]
    assert not words_missing(outcome.get("msg", ""), words), "%r does not name %s" % (outcome.get("msg"), words)


def check_refusals(cases, results):
    """Every ``(module, arguments, words)`` case was refused (see ``refused``); one failure names every case that was not."""
    assert len(results) == len(cases)
    answers = {"%s %r" % (module, args): (words, outcome) for (module, args, words), outcome in zip(cases, results)}
    assert len(answers) == len(cases), "two cases are alike"
    oco_helpers.check_each(answers, refused)
