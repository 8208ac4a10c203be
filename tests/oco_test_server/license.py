"""The licence check of package creation and the licence fields of oco.info (free licence: 20 computers)."""

from . import php


def licensed_computers(store):
    return php.intval(store.setting('license-computers', 20))


def is_valid(store):
    return store.value('SELECT COUNT(*) FROM computer') <= licensed_computers(store)


def info(store, translate):
    company = store.setting('license-company')
    return {
        'license_computers': licensed_computers(store) if is_valid(store) else 0,
        'license_company': company if company else translate('not_registered'),
        'license_expiration': php.intval(store.setting('license-expiration', 0)),
    }
