#!/usr/bin/python3
"""The classic PyTorch training loop, as the reference the DJL trainer's throughput is compared with.

Same backbone file, same batch size, resolution, image count and thread count as the Java benchmark
(scripts/benchmark-trainer.sh runs both). Data are random tensors held in memory, so only training is timed.
Prints one line per stage: "<STAGE> <images/s>".
"""
import argparse
import time

import torch
from torch import nn

PREFIXES = {"HEAD": [], "LAYER4": ["layer4."], "FULL": [""]}


def images_per_second(backbone_path, stage, images, labels, batch_size, classes):
    torch.manual_seed(0)
    backbone = torch.jit.load(backbone_path)
    features = backbone(images[:2]).shape[1]
    head = nn.Linear(features, classes)
    trained = []
    for name, parameter in backbone.named_parameters():
        parameter.requires_grad_(any(name.startswith(p) for p in PREFIXES[stage]))
        if parameter.requires_grad:
            trained.append(parameter)
    groups = [{"params": head.parameters(), "lr": 1e-3}]
    if trained:
        groups.append({"params": trained, "lr": 1e-4})
    optimizer = torch.optim.SGD(groups, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    backbone.train()
    head.train()

    def step(start):
        x = images[start:start + batch_size]
        y = labels[start:start + batch_size]
        optimizer.zero_grad()
        loss = criterion(head(backbone(x)), y)
        loss.backward()
        optimizer.step()

    step(0)  # warm-up: allocations and TorchScript's first runs
    began = time.perf_counter()
    for start in range(0, len(images), batch_size):
        step(start)
    return len(images) / (time.perf_counter() - began)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", required=True)
    parser.add_argument("--stages", default="HEAD,LAYER4,FULL")
    parser.add_argument("--images", type=int, default=128)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--classes", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(1)
    images = torch.randn(args.images, 3, args.size, args.size, generator=generator)
    labels = torch.randint(0, args.classes, (args.images,), generator=generator)
    for stage in args.stages.split(","):
        rate = images_per_second(args.backbone, stage, images, labels, args.batch, args.classes)
        print(f"{stage} {rate:.1f}", flush=True)


if __name__ == "__main__":
    main()
