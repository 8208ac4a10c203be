"""Package payloads: base64 files in, one ZIP out."""

import base64
import binascii
import io
import os
import zipfile

from . import php
from .errors import InvalidRequest, ServerError

_ZIP_MAGIC = (b'PK\x03\x04', b'PK\x05\x06', b'PK\x07\x08')


def _b64decode_strict(text):
    """PHP base64_decode($s, true): whitespace ignored, missing padding tolerated, other junk rejected."""
    compact = ''.join(text.split())
    if len(compact) % 4 == 1:
        raise ValueError('bad length')
    compact += '=' * (-len(compact) % 4)
    return base64.b64decode(compact, validate=True)


def decode_files(files):
    """Ordered {name: bytes}; entries with an empty name or content are skipped, duplicates: last wins."""
    decoded = {}
    if php.empty(files) or not isinstance(files, (list, dict)):
        return decoded
    for entry in (files.values() if isinstance(files, dict) else files):
        if not isinstance(entry, dict) or php.empty(entry.get('name')) or php.empty(entry.get('content')):
            continue
        try:
            content = _b64decode_strict(php.strval(entry['content']))
        except (binascii.Error, ValueError) as exc:
            raise InvalidRequest('payload_corrupt') from exc
        if content in (b'', b'0'):
            raise InvalidRequest('payload_corrupt')
        decoded[php.strval(entry['name'])] = content
    return decoded


def build_zip(files):
    """The ZIP to store, or None when there is no usable file."""
    if not files:
        return None
    if len(files) == 1:
        name, content = next(iter(files.items()))
        if content[:4] in _ZIP_MAGIC:
            return content
        files = {os.path.basename(name.replace('\\', '/')) or name: content}
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
    except (ValueError, OSError) as exc:
        raise ServerError('cannot_create_zip_file') from exc
    return buffer.getvalue()


def zip_members(blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return archive.namelist()
