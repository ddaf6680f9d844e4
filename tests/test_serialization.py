"""Checkpoints: exact round trips, atomic saves, refusal of anything that is not an intact
rlgrad checkpoint, and training that resumes bit for bit."""

import os
import pickle
import zipfile

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn
import rlgrad.optim as optim
from rlgrad.serialization import CheckpointError

ALL_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
              "bool"]


def host(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_every_dtype_round_trips_exactly(dtype, tmp_path, device):
    if device != "cpu" and dtype == "float16":
        pytest.skip("the array_api_strict stand-in has no float16")
    rng = np.random.default_rng(0)
    if dtype == "bool":
        array = rng.integers(0, 2, (3, 4)).astype(bool)
    elif np.dtype(dtype).kind == "f":
        array = (rng.standard_normal((3, 4)) * 1e3).astype(dtype)
        array.flat[:4] = [np.nan, np.inf, -np.inf, -0.0]
    else:
        info = np.iinfo(dtype)
        array = rng.integers(info.min, info.max, (3, 4), dtype=dtype, endpoint=True)
    path = tmp_path / "tensor.rlgrad"
    rlgrad.save({"x": rlgrad.tensor(array, device=device)}, path)
    loaded = rlgrad.load(path)["x"]
    assert loaded.dtype == np.dtype(dtype) and loaded.device == rlgrad.device(device)
    assert host(loaded).tobytes() == array.tobytes()


def test_nested_structure_round_trips_with_types_kept(tmp_path):
    obj = {"state": {0: {"step": 3, "exp_avg": rlgrad.zeros(2)}},
           "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0], "name": "net",
                             "nesterov": False, "clip": None, "limit": float("inf")}],
           "scalar": rlgrad.tensor(2.5), "empty": rlgrad.zeros(0, 3), "array": np.arange(3)}
    path = tmp_path / "nested.rlgrad"
    rlgrad.save(obj, path)
    loaded = rlgrad.load(path)
    group = loaded["param_groups"][0]
    assert list(loaded["state"]) == [0] and loaded["state"][0]["step"] == 3
    assert group["betas"] == (0.9, 0.999) and isinstance(group["betas"], tuple)
    assert group["lr"] == 1e-3 and group["nesterov"] is False and group["clip"] is None
    assert group["limit"] == float("inf") and group["name"] == "net"
    assert loaded["scalar"].shape == () and loaded["scalar"].item() == 2.5
    assert loaded["empty"].shape == (0, 3)
    assert np.array_equal(loaded["array"], np.arange(3))


def test_a_tensor_saved_twice_loads_as_one_tensor(tmp_path):
    shared = rlgrad.ones(2)
    rlgrad.save({"a": shared, "b": [shared]}, tmp_path / "shared.rlgrad")
    loaded = rlgrad.load(tmp_path / "shared.rlgrad")
    assert loaded["a"] is loaded["b"][0]


def test_keys_that_flatten_to_the_same_name_stay_distinct(tmp_path):
    obj = {"a.b": rlgrad.zeros(1), "a": {"b": rlgrad.ones(1)}}
    rlgrad.save(obj, tmp_path / "names.rlgrad")
    loaded = rlgrad.load(tmp_path / "names.rlgrad")
    assert loaded["a.b"].item() == 0.0 and loaded["a"]["b"].item() == 1.0


def test_saving_an_unsupported_object_names_its_place(tmp_path):
    with pytest.raises(TypeError, match="got Linear at 'model'"):
        rlgrad.save({"model": nn.Linear(1, 1)}, tmp_path / "bad.rlgrad")


def test_map_location_moves_tensors(tmp_path):
    rlgrad.save({"w": rlgrad.ones(2)}, tmp_path / "cpu.rlgrad")
    loaded = rlgrad.load(tmp_path / "cpu.rlgrad", map_location="array_api_strict")
    assert loaded["w"].device == rlgrad.device("array_api_strict")
    rlgrad.save({"w": rlgrad.ones(2, device="array_api_strict")}, tmp_path / "strict.rlgrad")
    remapped = rlgrad.load(tmp_path / "strict.rlgrad", map_location={"array_api_strict": "cpu"})
    assert remapped["w"].device == rlgrad.device("cpu")


def test_model_state_dict_round_trip(tmp_path, device):
    model = nn.MLP(3, 2).to(device)
    rlgrad.save(model.state_dict(), tmp_path / "model.rlgrad")
    fresh = nn.MLP(3, 2).to(device)
    fresh.load_state_dict(rlgrad.load(tmp_path / "model.rlgrad"))
    for key, value in model.state_dict().items():
        assert host(fresh.state_dict()[key]).tobytes() == host(value).tobytes()


# --- atomic writes -----------------------------------------------------------------------


def test_a_crash_during_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.rlgrad"
    rlgrad.save({"version": 1}, path)

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        rlgrad.save({"version": 2}, path)
    monkeypatch.undo()
    assert rlgrad.load(path) == {"version": 1}
    assert os.listdir(tmp_path) == ["ckpt.rlgrad"]


def test_save_overwrites_an_existing_checkpoint(tmp_path):
    path = tmp_path / "ckpt.rlgrad"
    rlgrad.save({"version": 1}, path)
    rlgrad.save({"version": 2}, str(path))
    assert rlgrad.load(path) == {"version": 2}


# --- refusing what is not an intact checkpoint --------------------------------------------


def test_a_pickle_is_refused_without_being_loaded(tmp_path):
    path = tmp_path / "model.pkl"
    with open(path, "wb") as file:
        pickle.dump({"weights": [1.0]}, file)
    with pytest.raises(CheckpointError, match="Python pickle file; rlgrad never loads pickles"):
        rlgrad.load(path)


def test_a_torch_save_archive_is_refused(tmp_path):
    path = tmp_path / "model.pt"
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.zeros(2)}, path)
    with pytest.raises(CheckpointError, match="ZIP archive, as torch.save writes"):
        rlgrad.load(path)


def test_a_zip_file_is_refused(tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.pkl", b"not really")
    with pytest.raises(CheckpointError, match="ZIP archive"):
        rlgrad.load(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.rlgrad"
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match="is empty"):
        rlgrad.load(path)


def test_a_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a checkpoint")
    with pytest.raises(CheckpointError, match="not an rlgrad checkpoint: unrecognised format"):
        rlgrad.load(path)


def test_a_plain_safetensors_file_is_refused(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "plain.safetensors"
    save_file({"w": np.zeros(2, np.float32)}, str(path))
    with pytest.raises(CheckpointError, match="safetensors file not written by rlgrad.save"):
        rlgrad.load(path)


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_a_truncated_checkpoint_is_refused(keep, tmp_path):
    path = tmp_path / "ckpt.rlgrad"
    rlgrad.save({"w": rlgrad.ones(64), "step": 5}, path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(CheckpointError, match="truncated"):
        rlgrad.load(path)


def test_a_flipped_payload_byte_is_detected(tmp_path):
    path = tmp_path / "ckpt.rlgrad"
    rlgrad.save({"w": rlgrad.ones(64)}, path)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="corrupted: its tensors do not match the checksum"):
        rlgrad.load(path)


def test_a_corrupted_header_is_refused(tmp_path):
    path = tmp_path / "ckpt.rlgrad"
    rlgrad.save({"w": rlgrad.ones(4)}, path)
    data = bytearray(path.read_bytes())
    data[9:14] = b"#####"
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="corrupted"):
        rlgrad.load(path)


# --- training resumes bit for bit ----------------------------------------------------------


def make_run(device, optimizer_name):
    rlgrad.manual_seed(0)
    model = nn.MLP(3, 2, hidden=(8,), activation="tanh").to(device)
    if optimizer_name == "adam":
        optimizer = optim.Adam(model.parameters(), lr=1e-2)
    elif optimizer_name == "sgd":
        optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9, nesterov=True)
    else:
        optimizer = optim.RMSprop(model.parameters(), lr=1e-3, centered=True, momentum=0.5)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    return model, optimizer, scheduler


def train(model, optimizer, scheduler, batches):
    for x, y in batches:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()


@pytest.mark.parametrize("optimizer_name", ["adam", "sgd", "rmsprop"])
def test_training_resumes_bit_for_bit(optimizer_name, tmp_path, device):
    rng = np.random.default_rng(1)
    batches = [(rlgrad.tensor(rng.standard_normal((5, 3)), dtype=rlgrad.float32, device=device),
                rlgrad.tensor(rng.standard_normal((5, 2)), dtype=rlgrad.float32, device=device))
               for _ in range(8)]

    uninterrupted = make_run(device, optimizer_name)
    train(*uninterrupted, batches)

    first = make_run(device, optimizer_name)
    train(*first, batches[:4])
    model, optimizer, scheduler = first
    rlgrad.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                 "scheduler": scheduler.state_dict()}, tmp_path / "run.rlgrad")

    checkpoint = rlgrad.load(tmp_path / "run.rlgrad")
    rlgrad.manual_seed(123)  # the fresh run starts from other weights
    resumed = make_run(device, optimizer_name)
    resumed[0].load_state_dict(checkpoint["model"])
    resumed[1].load_state_dict(checkpoint["optimizer"])
    resumed[2].load_state_dict(checkpoint["scheduler"])
    train(*resumed, batches[4:])

    for key, value in uninterrupted[0].state_dict().items():
        assert host(resumed[0].state_dict()[key]).tobytes() == host(value).tobytes(), key
    assert resumed[2].get_last_lr() == uninterrupted[2].get_last_lr()
