"""Checkpoints: `save(obj, path)` and `load(path, map_location=None)` for state dicts.

The file is a safetensors file: its tensors are the tensors of `obj` under flattened names
("model.0.weight"), and its header metadata (str -> str) holds
- "format": "rlgrad", "format_version": "1";
- "structure": JSON of `obj` where every container is a tagged object ({"dict": [[key,
  value], ...]}, {"list": [...]}, {"tuple": [...]}, {"tensor": name, ...}, {"ndarray": name})
  and plain numbers, strings, bools and None stand for themselves; dict keys keep their
  type (str or int), so an optimizer's integer parameter indices come back as ints;
- "sha256": a digest of every tensor's name, dtype, shape and bytes, checked on load.

Why this design: loading runs no code (no pickle, ever), so a checkpoint from anywhere is
safe to open; safetensors checks the header and its offsets, the digest catches a corrupted
payload, and a save writes a temporary file in the same directory, fsyncs it and renames it
over the target, so a crash mid-save leaves the previous checkpoint intact.
"""

import hashlib
import json
import logging
import os
import struct

import numpy as np

from rlgrad import _backend
from rlgrad.tensor import Tensor, wrap
from rlgrad.utils.files import atomic_write

logger = logging.getLogger(__name__)

FORMAT_NAME = "rlgrad"
FORMAT_VERSION = "1"
_HEADER_LIMIT = 100 * 1024 * 1024  # safetensors' own limit on the JSON header


class CheckpointError(ValueError):
    """The file is not a readable rlgrad checkpoint; the message says what it is instead."""


# --- saving ------------------------------------------------------------------------------


def save(obj, path):
    """Write `obj` (nested dicts, lists and tuples of tensors, NumPy arrays, numbers,
    strings, bools and None, such as `model.state_dict()`) to `path` atomically."""
    from safetensors.numpy import save as safetensors_bytes

    arrays = {}
    structure = _encode(obj, "", arrays, {})
    metadata = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                "structure": json.dumps(structure, allow_nan=True),
                "sha256": _digest(arrays)}
    payload = safetensors_bytes(arrays, metadata=metadata)
    _write_atomically(os.fspath(path), payload)
    logger.debug("saved checkpoint %s (%d tensors, %d bytes)", path, len(arrays), len(payload))


def _encode(value, name, arrays, names_by_id):
    """The JSON structure of `value`; tensors are added to `arrays` under unique names."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, Tensor):
        stored = _store(value._host_array(), name, arrays, names_by_id, id(value))
        tag = {"tensor": stored, "device": str(value.device)}
        if value.requires_grad:
            tag["requires_grad"] = True
        return tag
    if isinstance(value, np.ndarray):
        return {"ndarray": _store(value, name, arrays, names_by_id, id(value))}
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise TypeError(f"rlgrad.save: dict keys must be str or int, got "
                                f"{type(key).__name__} {key!r} at '{name}'")
            items.append([key, _encode(item, _child(name, key), arrays, names_by_id)])
        return {"dict": items}
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {kind: [_encode(item, _child(name, index), arrays, names_by_id)
                       for index, item in enumerate(value)]}
    raise TypeError(f"rlgrad.save stores tensors, arrays, numbers, strings, bools, None and "
                    f"dicts/lists/tuples of them; got {type(value).__name__} at "
                    f"'{name or '<top>'}'. Save a state_dict() rather than the object itself")


def _child(name, key):
    return f"{name}.{key}" if name else str(key)


def _store(array, name, arrays, names_by_id, identity):
    """Add `array` under `name` (made unique); the same object stored twice is kept once."""
    if identity in names_by_id:
        return names_by_id[identity]
    if array.dtype.kind not in "biuf":
        raise TypeError(f"rlgrad.save cannot store dtype {array.dtype} at '{name}'")
    unique = name or "tensor"
    suffix = 1
    while unique in arrays:
        unique = f"{name}#{suffix}"
        suffix += 1
    arrays[unique] = np.asarray(array, order="C")
    names_by_id[identity] = unique
    return unique


def _digest(arrays):
    """sha256 of the tensors' names, dtypes, shapes and little-endian bytes, sorted by name."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = arrays[name]
        little_endian = array.astype(array.dtype.newbyteorder("<"), copy=False)
        digest.update(f"{name}\0{array.dtype.str[1:]}\0{array.shape}\0".encode())
        digest.update(little_endian.tobytes())
    return digest.hexdigest()


def _write_atomically(path, payload):
    with atomic_write(path, "wb") as handle:
        handle.write(payload)


# --- loading -----------------------------------------------------------------------------


def load(path, map_location=None):
    """Read a checkpoint written by `save`. Tensors go back to the device they were saved
    from, or to `map_location`: a device ("cpu", "array_api_strict", "cuda:0") or a dict
    mapping saved device names to new ones ({"cuda:0": "cpu"}).

    Raises `CheckpointError` for anything that is not an intact rlgrad checkpoint (a pickle,
    a torch.save archive, a truncated or corrupted file, ...) without loading any of it.
    """
    with open(path, "rb") as file:
        data = file.read()
    header = _header(data, path)
    metadata = header.get("__metadata__") or {}
    if metadata.get("format") != FORMAT_NAME:
        raise CheckpointError(f"{path} is a safetensors file not written by rlgrad.save (no "
                              "rlgrad structure in its metadata); read its tensors with "
                              "safetensors.numpy.load_file")
    if metadata.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"{path} has rlgrad checkpoint format version "
                              f"{metadata.get('format_version')!r}; this rlgrad reads "
                              f"version {FORMAT_VERSION}")
    arrays = _arrays(data, path)
    if _digest(arrays) != metadata.get("sha256"):
        raise CheckpointError(f"{path} is corrupted: its tensors do not match the checksum "
                              "stored when it was saved")
    try:
        structure = json.loads(metadata["structure"])
    except (KeyError, ValueError) as error:
        raise CheckpointError(f"{path} is corrupted: its structure metadata is unreadable "
                              f"({error})") from None
    decoder = _Decoder(arrays, map_location, path)
    result = decoder.decode(structure)
    unused = set(arrays) - decoder.used
    if unused:
        raise CheckpointError(f"{path} is corrupted: tensors {sorted(unused)} are not "
                              "referenced by its structure")
    return result


def _header(data, path):
    """The safetensors JSON header of `data`, or a `CheckpointError` saying what it is."""
    if len(data) == 0:
        raise CheckpointError(f"{path} is empty (a save may have been interrupted before "
                              "rlgrad wrote checkpoints atomically)")
    if len(data) >= 8:
        (header_size,) = struct.unpack("<Q", data[:8])
        looks_like_safetensors = 0 < header_size <= _HEADER_LIMIT and data[8:9] == b"{"
        if looks_like_safetensors:
            if 8 + header_size > len(data):
                raise CheckpointError(f"{path} is a truncated safetensors file: its header "
                                      f"needs {header_size} bytes, the file has {len(data)}")
            try:
                return json.loads(data[8:8 + header_size])
            except ValueError as error:
                raise CheckpointError(f"{path} is a corrupted safetensors file: its header "
                                      f"is not valid JSON ({error})") from None
    raise CheckpointError(f"{path} is not an rlgrad checkpoint: {_describe(data)}")


def _describe(data):
    """What a file that is not a checkpoint seems to be, from its first bytes."""
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "this is a Python pickle file; rlgrad never loads pickles, since loading one " \
               "can run arbitrary code"
    if data[:4] == b"PK\x03\x04":
        return "this is a ZIP archive, as torch.save writes (its contents are pickles); " \
               "rlgrad never loads pickles. Convert it with safetensors in PyTorch first"
    if data[:6] == b"\x93NUMPY":
        return "this is a NumPy .npy file; read it with numpy.load(allow_pickle=False)"
    if data[:8] == b"\x89HDF\r\n\x1a\n":
        return "this is an HDF5 file"
    if data[:2] == b"\x1f\x8b":
        return "this is a gzip file"
    return f"unrecognised format (first bytes {data[:8]!r})"


def _arrays(data, path):
    from safetensors.numpy import load as safetensors_load

    try:
        return safetensors_load(data)
    except Exception as error:  # safetensors raises its own error type for any bad header
        raise CheckpointError(f"{path} is a truncated or corrupted checkpoint: {error}") \
            from None


class _Decoder:
    """Rebuilds the saved object from its structure, placing tensors on devices."""

    def __init__(self, arrays, map_location, path):
        self.arrays = arrays
        self.map_location = map_location
        self.path = path
        self.used = set()
        self.tensors = {}

    def decode(self, node):
        if node is None or isinstance(node, (bool, str, int)):
            return node
        if isinstance(node, float):
            return node
        if not isinstance(node, dict) or len(node) == 0:
            raise self._corrupt(f"unexpected structure element {node!r}")
        if "dict" in node:
            return {self._key(key): self.decode(value) for key, value in node["dict"]}
        if "list" in node:
            return [self.decode(item) for item in node["list"]]
        if "tuple" in node:
            return tuple(self.decode(item) for item in node["tuple"])
        if "tensor" in node:
            return self._tensor(node)
        if "ndarray" in node:
            return self._array(node["ndarray"]).copy()
        raise self._corrupt(f"unknown structure tag {sorted(node)}")

    def _key(self, key):
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise self._corrupt(f"dict key {key!r} is neither str nor int")
        return key

    def _array(self, name):
        if name not in self.arrays:
            raise self._corrupt(f"structure refers to a missing tensor {name!r}")
        self.used.add(name)
        return self.arrays[name]

    def _tensor(self, node):
        name = node["tensor"]
        if name in self.tensors:
            return self.tensors[name]
        array = self._array(name)
        device = self._target_device(node.get("device", "cpu"))
        if device.type == "cpu":
            tensor = wrap(np.array(array, copy=True))
        else:
            tensor = wrap(_backend.backend_for(device).from_host(array, device))
        if node.get("requires_grad"):
            tensor.requires_grad_(True)
        self.tensors[name] = tensor
        return tensor

    def _target_device(self, saved):
        location = self.map_location
        if isinstance(location, dict):
            location = location.get(saved, saved)
        return _backend.as_device(saved if location is None else location)

    def _corrupt(self, detail):
        return CheckpointError(f"{self.path} is corrupted: {detail}")


__all__ = ["save", "load", "CheckpointError"]
