"""Rendition specs, one per place a photo shows, sized for a 2x phone screen and served as WebP."""

CARD = "fill-360x360|format-webp|webpquality-72"
GALLERY = "max-800x800|format-webp|webpquality-78"
THUMB = "fill-120x120|format-webp|webpquality-70"
LOGO = "fill-96x96|format-webp|webpquality-75"
