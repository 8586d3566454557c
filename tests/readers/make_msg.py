"""Outlook .msg files for the reader tests, written as a minimal Compound File (CFB v3).

No library writes .msg files (extract-msg and olefile only read), so this writes just enough
of [MS-CFB] and [MS-OXMSG]: a root storage of property streams, one attachment storage and
an empty named-property storage. Streams under 4,096 bytes live in the mini stream, as the
format requires.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class Node:
    name: str
    data: bytes | None = None  # None: a storage
    children: list[Node] = field(default_factory=list)
    sid: int = 0
    start: int = END
    size: int = 0


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\0" * (-len(data) % unit)


def _order(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (len(n.name), n.name.upper()))


def write_cfb(root_children: list[Node]) -> bytes:
    root = Node("Root Entry", None, root_children)
    nodes: list[Node] = []

    def number(node: Node) -> None:
        node.sid = len(nodes)
        nodes.append(node)
        for child in _order(node.children):
            number(child)

    number(root)
    right: dict[int, int] = {}  # a storage's children as a chain of right siblings: a valid, if unbalanced, tree
    for node in nodes:
        ordered = _order(node.children)
        for left, nxt in zip(ordered, ordered[1:], strict=False):
            right[left.sid] = nxt.sid
    mini = bytearray()
    minifat: list[int] = []
    big: list[Node] = []
    for node in nodes[1:]:
        if node.data is None or not node.data:
            continue
        node.size = len(node.data)
        if node.size < CUTOFF:
            node.start = len(mini) // MINI
            count = -(-node.size // MINI)
            minifat += [node.start + i + 1 for i in range(count - 1)] + [END]
            mini += _pad(node.data, MINI)
        else:
            big.append(node)
    regions: list[bytes] = []
    sector = 0
    fat: list[int] = []

    def place(data: bytes) -> int:
        nonlocal sector
        count = len(data) // SECTOR
        if count == 0:
            return END
        first = sector
        fat.extend([first + i + 1 for i in range(count - 1)] + [END])
        regions.append(data)
        sector += count
        return first

    root.start = place(_pad(bytes(mini), SECTOR))
    root.size = len(mini)
    for node in big:
        node.start = place(_pad(node.data or b"", SECTOR))
    minifat_start = place(_pad(b"".join(struct.pack("<I", x) for x in minifat), SECTOR)) if minifat else END
    minifat_sectors = -(-len(minifat) * 4 // SECTOR)
    directory = bytearray()
    for node in nodes:
        directory += _entry(node, right.get(node.sid, NOSTREAM))
    dir_start = place(_pad(bytes(directory), SECTOR))
    fat_count = 1
    while (sector + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    fat_sectors = list(range(sector, sector + fat_count))
    fat += [FATSECT] * fat_count
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16)
    header += struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_count, dir_start, 0,
                          CUTOFF, minifat_start, minifat_sectors, END, 0)
    difat = fat_sectors + [FREE] * (109 - fat_count)
    header += b"".join(struct.pack("<I", x) for x in difat)
    body = b"".join(regions) + b"".join(struct.pack("<I", x) for x in fat)
    return bytes(header) + body


def _entry(node: Node, right: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\0\0"
    kind = 5 if node.sid == 0 else (1 if node.data is None else 2)
    ordered = _order(node.children)
    child = ordered[0].sid if ordered else NOSTREAM
    return struct.pack("<64sHBBIII16sIQQIII", name, len(name), kind, 1, NOSTREAM, right, child, b"\0" * 16,
                       0, 0, 0, node.start if (node.data is not None or kind == 5) else 0, node.size, 0)


def _text(prop: int, value: str) -> Node:
    return Node(f"__substg1.0_{prop:04X}001F", value.encode("utf-16-le"))


def _props(header: bytes, entries: list[tuple[int, int, int]]) -> Node:
    body = b"".join(struct.pack("<IIQ", tag, flags, value) for tag, flags, value in entries)
    return Node("__properties_version1.0", header + body)


def outlook_msg(subject: str, body: str, sender: str, to: str, attachments: list[tuple[str, bytes]]) -> bytes:
    strings = {0x001A: "IPM.Note", 0x0037: subject, 0x1000: body, 0x0C1A: sender, 0x0C1F: sender,
               0x0E04: to, 0x0065: sender}
    children = [_text(prop, value) for prop, value in strings.items()]
    entries = [((prop << 16) | 0x001F, 6, len(value.encode("utf-16-le")) + 2) for prop, value in strings.items()]
    children.append(_props(b"\0" * 8 + struct.pack("<IIII", 0, len(attachments), 0, len(attachments)) + b"\0" * 8,
                           entries))
    children.append(Node("__nameid_version1.0", None, [Node("__substg1.0_00020102", b""),
                                                       Node("__substg1.0_00030102", b""),
                                                       Node("__substg1.0_00040102", b"")]))
    for i, (name, data) in enumerate(attachments):
        attach_entries = [(0x37050003, 6, 1), (0x0E210003, 6, i), (0x37010102, 6, len(data)),
                          (0x3707001F, 6, len(name.encode("utf-16-le")) + 2)]
        children.append(Node(f"__attach_version1.0_#{i:08X}", None, [
            _props(b"\0" * 8, attach_entries), Node("__substg1.0_37010102", data), _text(0x3707, name),
            _text(0x3704, name[:12])]))
    return write_cfb(children)
