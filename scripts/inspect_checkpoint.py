#!/usr/bin/python3
"""Load a trainer stage checkpoint in PyTorch and report on it as JSON.

A checkpoint folder holds backbone.pt (TorchScript embedding network) and head.safetensors (Linear head:
weight [classes, features], bias [classes], metadata "labels" = JSON list). This script proves the files are
usable outside Java: it loads both with plain torch, optionally predicts a batch of images and lists which
backbone state entries (parameters AND BatchNorm buffers) differ from another backbone file.

  /usr/bin/python3 scripts/inspect_checkpoint.py --checkpoint out/layer4 \
      [--images images.safetensors] [--compare-to fixtures/backbones/resnet-tiny.pt]

--images is a safetensors file with one F32 tensor "images" [N, 3, H, W], already preprocessed.
"""
import argparse
import json
import struct
import sys

import torch


def read_safetensors(path):
    """Minimal F32 safetensors reader (the format: u64 header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + length + begin:8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(info["shape"])
    return tensors, metadata


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--images")
    parser.add_argument("--compare-to")
    args = parser.parse_args(argv)

    backbone = torch.jit.load(f"{args.checkpoint}/backbone.pt", map_location="cpu")
    backbone.eval()
    head_tensors, head_metadata = read_safetensors(f"{args.checkpoint}/head.safetensors")
    head = torch.nn.Linear(head_tensors["weight"].shape[1], head_tensors["weight"].shape[0])
    with torch.no_grad():
        head.weight.copy_(head_tensors["weight"])
        head.bias.copy_(head_tensors["bias"])
    report = {
        "training": backbone.training,
        "labels": json.loads(head_metadata["labels"]),
        "features": head.in_features,
        "parameters": [name for name, _ in backbone.named_parameters()],
    }
    if args.images:
        images = read_safetensors(args.images)[0]["images"]
        with torch.no_grad():
            report["predictions"] = head(backbone(images)).argmax(dim=1).tolist()
    if args.compare_to:
        base = torch.jit.load(args.compare_to, map_location="cpu").state_dict()
        state = backbone.state_dict()
        report["changed"] = [name for name, value in state.items() if not torch.equal(value, base[name])]
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
