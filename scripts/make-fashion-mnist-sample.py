#!/usr/bin/env python3
"""Writes a small, deterministic Fashion-MNIST sample as PNG files in ImageFolder layout.

Reads the official IDX files (as installed by the Debian package dataset-fashion-mnist) and writes
<out>/<split>/<label>/<source>-<index>.png, where split is train (from the official train file) or
test (from the official t10k file), source is the IDX file's prefix and index the example's position
in that file. The first N examples of each class in file order are taken, so reruns give the same
files, byte for byte. Only the standard library is used, so any python3 runs it.
"""

import argparse
import gzip
import os
import shutil
import struct
import sys
import zlib

CLASS_NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat",
               "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
SOURCES = {"train": "train", "test": "t10k"}
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def open_idx(directory, name):
    for candidate, opener in ((name + ".gz", gzip.open), (name, open)):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            with opener(path, "rb") as stream:
                return path, stream.read()
    sys.exit(f"error: neither {name}.gz nor {name} found in {directory}")


def read_labels(directory, source):
    path, data = open_idx(directory, f"{source}-labels-idx1-ubyte")
    magic, count = struct.unpack_from(">II", data)
    if magic != LABELS_MAGIC or len(data) != 8 + count:
        sys.exit(f"error: {path} is not an IDX label file of {count} labels")
    return data[8:]


def read_images(directory, source):
    path, data = open_idx(directory, f"{source}-images-idx3-ubyte")
    magic, count, rows, columns = struct.unpack_from(">IIII", data)
    if magic != IMAGES_MAGIC or len(data) != 16 + count * rows * columns:
        sys.exit(f"error: {path} is not an IDX image file of {count} images of {rows}x{columns}")
    return data[16:], rows, columns


def png_chunk(kind, payload):
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def grayscale_png(pixels, width, height):
    # Filter type 0 on every row and no ancillary chunks: nothing in the file depends on time or tools.
    raw = b"".join(b"\x00" + pixels[row * width:(row + 1) * width] for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (PNG_SIGNATURE + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def write_split(directory, out, split, per_class):
    source = SOURCES[split]
    labels = read_labels(directory, source)
    images, rows, columns = read_images(directory, source)
    if len(labels) * rows * columns != len(images):
        sys.exit(f"error: {source} label and image files disagree on the number of examples")
    taken = [0] * len(CLASS_NAMES)
    size = rows * columns
    for index, label in enumerate(labels):
        if taken[label] == per_class:
            continue
        taken[label] += 1
        folder = os.path.join(out, split, CLASS_NAMES[label])
        os.makedirs(folder, exist_ok=True)
        pixels = images[index * size:(index + 1) * size]
        with open(os.path.join(folder, f"{source}-{index:05d}.png"), "wb") as file:
            file.write(grayscale_png(pixels, columns, rows))
        if min(taken) == per_class:
            break
    return sum(taken)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="folder holding the official (gzipped) IDX files")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "..", "fixtures", "fashion-mnist-sample"),
                        help="output folder (its train/ and test/ are replaced)")
    parser.add_argument("--train-per-class", type=int, default=60)
    parser.add_argument("--test-per-class", type=int, default=20)
    args = parser.parse_args()

    out = os.path.normpath(args.out)
    for split, per_class in (("train", args.train_per_class), ("test", args.test_per_class)):
        # Replaced, not merged, so a smaller rerun leaves no stale files behind.
        shutil.rmtree(os.path.join(out, split), ignore_errors=True)
        written = write_split(args.data, out, split, per_class)
        print(f"{split}: {written} images under {os.path.join(out, split)}")


if __name__ == "__main__":
    main()
