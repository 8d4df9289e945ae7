"""The app icons of the web app manifest, drawn with Pillow from the favicon's design (a white cross on the
teal rounded square of static/img/favicon.svg), so no image editor is needed to change them.

The PNGs are committed under static/img/icons/; regenerate them after changing the design with
`.venv/bin/python -m forum.discovery.icons` (a test checks the committed files match these sizes).
"""

from pathlib import Path

from PIL import Image, ImageDraw

TEAL = (15, 118, 110, 255)  # #0f766e, the site's accent
WHITE = (255, 255, 255, 255)
ICON_DIR = Path(__file__).resolve().parents[2] / "static" / "img" / "icons"
# (file name, size, purpose): "any" icons have rounded corners like the favicon; "maskable" ones fill the
# square and keep the cross inside the central 80% safe zone, for launchers that cut their own shape.
ICONS = [
    ("icon-192.png", 192, "any"),
    ("icon-512.png", 512, "any"),
    ("icon-maskable-512.png", 512, "maskable"),
    ("apple-touch-icon.png", 180, "maskable"),  # iOS rounds the corners itself
]


def draw_icon(size: int, purpose: str) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if purpose == "maskable":
        draw.rectangle((0, 0, size, size), fill=TEAL)
        scale = size / 32 * 0.75  # the favicon's 32-unit cross, shrunk into the safe zone
        offset = size * 0.125
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 8 // 32, fill=TEAL)
        scale, offset = size / 32, 0.0

    def box(x0, y0, x1, y1):
        return (offset + x0 * scale, offset + y0 * scale, offset + x1 * scale - 1, offset + y1 * scale - 1)

    # The favicon's path M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z: two bars.
    draw.rectangle(box(13, 7, 19, 25), fill=WHITE)
    draw.rectangle(box(7, 13, 25, 19), fill=WHITE)
    return image


def write_icons(directory: Path = ICON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, purpose in ICONS:
        path = directory / name
        draw_icon(size, purpose).save(path, format="PNG", optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(path)
