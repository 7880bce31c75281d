#!/usr/bin/python3
"""PyTorch inference throughput, the reference for the evaluator's DJL batch inference.

Runs backbone.pt (torch.jit.load) and the Linear head of head.safetensors from a checkpoint folder over the
preprocessed images the Java benchmark wrote, under torch.no_grad(), with the same batch size and threads
(scripts/benchmark-evaluator.sh runs both). Prints "pytorch-inference <images/s>" (median pass after a
warm-up) and, when --predictions is given, how many predictions agree with the Java ones.
"""
import argparse
import json
import statistics
import time

import torch

from inspect_checkpoint import read_safetensors

WARM_UP_BATCHES = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--images", required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--predictions")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    backbone = torch.jit.load(f"{args.checkpoint}/backbone.pt", map_location="cpu")
    backbone.eval()
    tensors, _ = read_safetensors(f"{args.checkpoint}/head.safetensors")
    head = torch.nn.Linear(tensors["weight"].shape[1], tensors["weight"].shape[0])
    images = read_safetensors(args.images)[0]["images"]

    with torch.no_grad():
        head.weight.copy_(tensors["weight"])
        head.bias.copy_(tensors["bias"])
        for _ in range(WARM_UP_BATCHES):
            head(backbone(images[:args.batch]))
        rates = []
        predictions = []
        for _ in range(args.passes):
            predictions = []
            began = time.perf_counter()
            for start in range(0, len(images), args.batch):
                predictions += head(backbone(images[start:start + args.batch])).argmax(dim=1).tolist()
            rates.append(len(images) / (time.perf_counter() - began))
    print(f"pytorch-inference {statistics.median(rates):.1f}", flush=True)
    if args.predictions:
        with open(args.predictions) as f:
            java = json.load(f)
        agree = sum(1 for a, b in zip(java, predictions) if a == b)
        print(f"agreement {agree}/{len(predictions)}")


if __name__ == "__main__":
    main()
