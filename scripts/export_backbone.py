#!/usr/bin/python3
"""Export a torchvision ResNet as a TorchScript embedding network for the trainer.

The output module maps a float batch [N, 3, H, W] to pooled features [N, C] (fc replaced by Identity).
It is written with torch.jit.script, not trace: a traced ResNet bakes BatchNorm's mode in at trace time.
Parameter names stay torchvision's (conv1.weight, layer4.0.conv1.weight, ...), so a torchvision
state_dict loads into it and the trainer's stage prefixes (``layer4.``) apply.

BatchNorm layers are torchvision's with one change (FreezableBatchNorm2d): a layer whose weight does not
require gradients normalises with its running statistics even in training mode and leaves them alone.
DJL switches a whole TorchScript module between training and inference mode at once, so this is how
frozen parts of a partly trained network stay in inference mode (see trainer-service/TRAINING.md).

Run with a Python that has torch and torchvision (Debian: /usr/bin/python3), for example:
  /usr/bin/python3 scripts/export_backbone.py --arch resnet18 --out resnet18.pt
  /usr/bin/python3 scripts/export_backbone.py --arch resnet50 --weights resnet50-imagenet.pth --out resnet50.pt
  /usr/bin/python3 scripts/export_backbone.py --arch tiny --width 8 --seed 7 --out resnet-tiny.pt
"""
import argparse
import sys

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.models import resnet
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

DEPTHS = {
    "resnet18": (BasicBlock, [2, 2, 2, 2]),
    "resnet34": (BasicBlock, [3, 4, 6, 3]),
    "resnet50": (Bottleneck, [3, 4, 6, 3]),
}


class FreezableBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d that uses batch statistics only while training AND its weight is trainable."""

    def forward(self, x: Tensor) -> Tensor:
        use_batch_statistics = self.training and self.weight.requires_grad
        if use_batch_statistics:
            self.num_batches_tracked.add_(1)
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            use_batch_statistics, self.momentum, self.eps)


class TinyResNet(ResNet):
    """torchvision's ResNet with a narrower base width, for fast tests (names are unchanged)."""

    def __init__(self, layers, width: int):
        super().__init__(BasicBlock, layers, norm_layer=FreezableBatchNorm2d)
        # Rebuild the body at the requested width; ResNet's constructor hard-codes 64.
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = FreezableBatchNorm2d(width)
        self.layer1 = self._make_layer(BasicBlock, width, layers[0])
        self.layer2 = self._make_layer(BasicBlock, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(BasicBlock, width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(BasicBlock, width * 8, layers[3], stride=2)
        self.fc = nn.Linear(width * 8 * BasicBlock.expansion, 1000)
        _init_like_torchvision(self)


def _init_like_torchvision(model: nn.Module) -> None:
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.constant_(module.weight, 1)
            nn.init.constant_(module.bias, 0)


def build(arch: str, layers, width: int) -> ResNet:
    if arch == "tiny":
        return TinyResNet(layers, width)
    block, depth_layers = DEPTHS[arch]
    return ResNet(block, depth_layers, norm_layer=FreezableBatchNorm2d)


def load_weights(model: ResNet, path: str) -> None:
    state = torch.load(path, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    # The classifier is dropped: the trainer adds its own head sized to the dataset's labels.
    state = {k: v for k, v in state.items() if not k.startswith("fc.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith("fc.")]
    if missing or unexpected:
        sys.exit(f"weights {path} do not fit: missing {missing}, unexpected {unexpected}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(DEPTHS) + ["tiny"], default="resnet18")
    parser.add_argument("--layers", default="1,1,1,1", help="blocks per stage, tiny only")
    parser.add_argument("--width", type=int, default=8, help="base width, tiny only")
    parser.add_argument("--weights", help="a local torchvision state_dict (.pth); random weights if absent")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    layers = [int(n) for n in args.layers.split(",")]
    if len(layers) != 4:
        parser.error("--layers needs four numbers")
    model = build(args.arch, layers, args.width)
    if args.weights:
        load_weights(model, args.weights)
    model.fc = nn.Identity()
    model.eval()

    scripted = torch.jit.script(model)
    scripted.save(args.out)

    check = torch.jit.load(args.out)
    with torch.no_grad():
        features = check(torch.zeros(2, 3, 64, 64))
    parameters = sum(p.numel() for p in check.parameters())
    print(f"wrote {args.out}: {args.arch}, {parameters} parameters, embedding size {features.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
