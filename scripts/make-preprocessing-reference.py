#!/usr/bin/python3
"""Writes what torchvision's transforms make of a few images, for the Java preprocessing tests to match.

Needs PIL and torchvision (Debian: python3-torchvision, so run it with /usr/bin/python3). Reads the
Fashion-MNIST sample in fixtures/fashion-mnist-sample and writes fixtures/preprocessing-reference/:
  scene.png              a 160x120 colour image composed from four sample images
  scene-eval-64-56.png   Resize(64) then CenterCrop(56) of scene.png
  scene-crop-48.png      resized_crop(scene.png, top=10, left=23, height=90, width=70, size=48)
  boot-eval-36-32.png    Resize(36) then CenterCrop(32) of the first train image (an ankle boot)
The outputs are the 8-bit images before ToTensor/Normalize, so they compare exactly.
"""

import os

from PIL import Image
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
SAMPLE = os.path.join(ROOT, "fashion-mnist-sample", "train")
OUT = os.path.normpath(os.path.join(ROOT, "preprocessing-reference"))


def first_image(label):
    folder = os.path.join(SAMPLE, label)
    return Image.open(os.path.join(folder, sorted(os.listdir(folder))[0])).convert("L")


def scene():
    tiles = [first_image(label) for label in ("coat", "sneaker", "bag", "dress")]
    canvas = Image.new("RGB", (56, 56))
    for index, tile in enumerate(tiles):
        red = tile.point(lambda v, i=index: v * (i + 1) // 4)
        green = tile.point(lambda v: 255 - v)
        blue = tile.point(lambda v, i=index: (v + 60 * i) % 256)
        canvas.paste(Image.merge("RGB", (red, green, blue)), ((index % 2) * 28, (index // 2) * 28))
    return canvas.resize((160, 120), Image.BICUBIC)


def main():
    os.makedirs(OUT, exist_ok=True)
    image = scene()
    image.save(os.path.join(OUT, "scene.png"))
    T.Compose([T.Resize(64), T.CenterCrop(56)])(image).save(os.path.join(OUT, "scene-eval-64-56.png"))
    F.resized_crop(image, 10, 23, 90, 70, [48, 48]).save(os.path.join(OUT, "scene-crop-48.png"))
    boot = Image.open(os.path.join(SAMPLE, "ankle-boot", "train-00000.png")).convert("RGB")
    T.Compose([T.Resize(36), T.CenterCrop(32)])(boot).save(os.path.join(OUT, "boot-eval-36-32.png"))
    print(f"wrote {OUT} with torchvision {torchvision.__version__}")


if __name__ == "__main__":
    main()
