#!/usr/bin/python3
"""Writes the reference parameter lists of the model zoo (models/testdata/<model>.params).

Each model is built in PyTorch -- torchvision for the ImageNet ResNets, MobileNetV2, VGG-16 and
EfficientNet-B0; small explicit definitions below for the CIFAR ResNets and the MNIST MLP -- and
its parameters() are written in order, buffers excluded, one `name<TAB>d0,d1,...` line each. The
zoo test (tests/zoo_test.cc) compares the compiled .tri models against these files.

A developer tool, not part of the build: the outputs are committed. Run with Debian's PyTorch
(`apt-get install python3-torch python3-torchvision`, torch 1.13 / torchvision 0.14):

    /usr/bin/python3 scripts/reference_params.py [--out models/testdata]
"""
import argparse
import os
import sys

import torch.nn as nn
import torchvision.models as tvm


# ---------------------------------------------------------------- CIFAR ResNets
class BasicBlock(nn.Module):
    """torchvision's BasicBlock (same names), used for the CIFAR variants."""

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class CifarResNet(nn.Module):
    """A ResNet for 32x32 inputs: 3x3 stride-1 stem, no max-pool, torchvision naming."""

    def __init__(self, widths, depths, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        in_planes = widths[0]
        for i, (w, d) in enumerate(zip(widths, depths)):
            stride = 1 if i == 0 else 2
            blocks = []
            for j in range(d):
                blocks.append(BasicBlock(in_planes, w, stride if j == 0 else 1))
                in_planes = w
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(in_planes, num_classes)


def resnet18_cifar():
    # The common CIFAR ResNet-18 (e.g. kuangliu/pytorch-cifar) under torchvision's names.
    return CifarResNet([64, 128, 256, 512], [2, 2, 2, 2])


def resnet20_cifar():
    # He et al. 2016, section 4.2: 16/32/64 channels, 3 stages of 3 blocks; 1x1 conv + BN
    # projection shortcuts where the shape changes (option B).
    return CifarResNet([16, 32, 64], [3, 3, 3])


# ---------------------------------------------------------------- MNIST MLP
class MnistMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)


def conv_bn_relu(cin, cout):
    """torchvision's Conv2dNormActivation children: 0 conv (no bias), 1 batch norm, 2 ReLU."""
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU())


class MnistCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = conv_bn_relu(1, 16)
        self.conv2 = conv_bn_relu(16, 32)
        self.conv3 = conv_bn_relu(32, 64)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)


MODELS = {
    "mnist_mlp": (MnistMLP, 235_146),
    "mnist_cnn": (MnistCNN, 426_234),
    "resnet18": (tvm.resnet18, 11_689_512),
    "resnet34": (tvm.resnet34, 21_797_672),
    "resnet50": (tvm.resnet50, 25_557_032),
    "resnet18_cifar": (resnet18_cifar, 11_173_962),
    "resnet20_cifar": (resnet20_cifar, 272_474),
    "mobilenet_v2": (tvm.mobilenet_v2, 3_504_872),
    "vgg16": (tvm.vgg16, 138_357_544),
    "efficientnet_b0": (tvm.efficientnet_b0, 5_288_548),
}


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(repo, "models", "testdata"))
    ap.add_argument("models", nargs="*", default=list(MODELS))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    ok = True
    for name in args.models:
        build, expected = MODELS[name]
        model = build()  # random init, no weights downloaded
        lines, total = [], 0
        for pname, p in model.named_parameters():
            lines.append(f"{pname}\t{','.join(str(d) for d in p.shape)}\n")
            total += p.numel()
        with open(os.path.join(args.out, f"{name}.params"), "w") as f:
            f.writelines(lines)
        status = "ok" if total == expected else f"MISMATCH (expected {expected:,})"
        ok &= total == expected
        print(f"{name:16s} {len(lines):4d} tensors {total:>12,} parameters  {status}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
