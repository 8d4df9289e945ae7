"""Draws the demo experts' portraits (illustrations, no real people): `python draw.py` rewrites the JPEGs
beside it. seed_demo uploads them through the normal avatar path (accounts.services.update_profile)."""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = 320
# file name: background, skin, hair, top, hair style
PEOPLE = {
    "okafor.jpg": ((188, 214, 230), (120, 78, 52), (30, 22, 18), (44, 92, 140), "bun"),
    "brooks.jpg": ((214, 232, 200), (236, 200, 170), (176, 110, 50), (90, 140, 80), "long"),
    "marsh.jpg": ((236, 220, 196), (222, 180, 150), (110, 110, 110), (70, 70, 110), "short"),
}


def portrait(background, skin, hair, top, style) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    c = SIZE // 2
    draw.ellipse((c - 120, 230, c + 120, 430), fill=top)  # shoulders
    draw.rectangle((c - 22, 190, c + 22, 245), fill=skin)  # neck
    if style == "long":
        draw.rounded_rectangle((c - 78, 70, c + 78, 250), radius=60, fill=hair)
    draw.ellipse((c - 62, 80, c + 62, 220), fill=skin)  # face
    if style == "bun":
        draw.ellipse((c - 30, 32, c + 30, 88), fill=hair)
        draw.chord((c - 66, 70, c + 66, 170), 180, 360, fill=hair)
    elif style == "long":
        draw.chord((c - 66, 72, c + 66, 175), 180, 360, fill=hair)
    else:
        draw.chord((c - 64, 74, c + 64, 150), 180, 360, fill=hair)
    for dx in (-24, 24):  # eyes
        draw.ellipse((c + dx - 6, 140, c + dx + 6, 152), fill=(40, 40, 40))
    draw.arc((c - 22, 160, c + 22, 192), 20, 160, fill=(150, 70, 70), width=4)  # smile
    return image


if __name__ == "__main__":
    for name, look in PEOPLE.items():
        portrait(*look).save(HERE / name, format="JPEG", quality=80, optimize=True)
