#!/usr/bin/env python3
"""Writes the demo's bundled Fashion-MNIST subset as gzipped IDX files, named and laid out like the originals.

Reads the official IDX files (as installed by the Debian package dataset-fashion-mnist) and writes
<out>/train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
t10k-labels-idx1-ubyte.gz holding the first N examples of each class, in the original file order:
N = --source-train for the demo's source classes 0-4, --target-train for its target classes 5-9 (from the
official train file), --test for every class (from the official t10k file). In one gzip stream an image costs
about 430 bytes (as a PNG file about 510, plus a file of its own on disk and in git). The gzip header carries no
name and no time, so reruns give the same files, byte for byte. Only the standard library is used, so any python3
runs it.
"""

import argparse
import gzip
import importlib.util
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("sample", os.path.join(HERE, "make-fashion-mnist-sample.py"))
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

SOURCE_CLASSES = range(0, 5)


def subset(directory, source, per_class):
    """Indices of the first per_class[label] examples of each class, in file order, with labels and pixels."""
    labels = sample.read_labels(directory, source)
    images, rows, columns = sample.read_images(directory, source)
    size = rows * columns
    taken = [0] * len(sample.CLASS_NAMES)
    picked = []
    for index, label in enumerate(labels):
        if taken[label] < per_class[label]:
            taken[label] += 1
            picked.append(index)
    short = [sample.CLASS_NAMES[c] for c in range(len(taken)) if taken[c] < per_class[c]]
    if short:
        raise SystemExit(f"error: the {source} file has too few examples of {', '.join(short)}")
    return (bytes(labels[i] for i in picked), b"".join(images[i * size:(i + 1) * size] for i in picked),
            rows, columns)


def write_gzip(path, payload):
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the header: the output depends on the input alone.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as stream:
            stream.write(payload)
    return os.path.getsize(path)


def write_subset(out, source, labels, pixels, rows, columns):
    count = len(labels)
    sizes = write_gzip(os.path.join(out, f"{source}-labels-idx1-ubyte.gz"),
                       struct.pack(">II", sample.LABELS_MAGIC, count) + labels)
    sizes += write_gzip(os.path.join(out, f"{source}-images-idx3-ubyte.gz"),
                        struct.pack(">IIII", sample.IMAGES_MAGIC, count, rows, columns) + pixels)
    return count, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                        help="folder holding the official (gzipped) IDX files")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "fixtures", "fashion-mnist-demo"),
                        help="output folder (its four IDX files are replaced)")
    parser.add_argument("--source-train", type=int, default=450,
                        help="examples per source class (0-4) from the train file")
    parser.add_argument("--target-train", type=int, default=550,
                        help="examples per target class (5-9) from the train file")
    parser.add_argument("--test", type=int, default=100, help="examples per class from the t10k file")
    args = parser.parse_args()

    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    wanted = {"train": [args.source_train if c in SOURCE_CLASSES else args.target_train
                        for c in range(len(sample.CLASS_NAMES))],
              "t10k": [args.test] * len(sample.CLASS_NAMES)}
    for source, per_class in wanted.items():
        count, size = write_subset(out, source, *subset(args.data, source, per_class))
        print(f"{source}: {count} examples, {size} bytes gzipped, in {out}")


if __name__ == "__main__":
    main()
