"""An IMS Common Cartridge (1.3 by default, for Canvas; 1.1 for importers that read only
1.0/1.1): the lecture page (launch.py, without an LMS runtime) and its video as web content,
the handout and the caption files, each a module item."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import launch
from .source import Published

MANIFEST = "imsmanifest.xml"
FOLDER = "web_resources/lecture"
_VERSIONS = {
    "1.3": ("imsccv1p3", "ccv1p3", "1.3.0"),
    "1.1": ("imsccv1p1", "ccv1p1", "1.1.0"),
}


def _head(identifier: str, version: str, title: str, lang: str) -> list[str]:
    cc, profile, schemaversion = _VERSIONS[version]
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<manifest identifier={quoteattr(identifier)}",
        f' xmlns="http://www.imsglobal.org/xsd/{cc}/imscp_v1p1"',
        f' xmlns:lomimscc="http://ltsc.ieee.org/xsd/{cc}/LOM/manifest"',
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        f' xsi:schemaLocation="http://www.imsglobal.org/xsd/{cc}/imscp_v1p1 http://www.imsglobal.org/profile/cc/{profile}/{profile}_imscp_v1p2_v1p0.xsd'
        f' http://ltsc.ieee.org/xsd/{cc}/LOM/manifest http://www.imsglobal.org/profile/cc/{profile}/LOM/{profile}_lommanifest_v1p0.xsd">',
        " <metadata>",
        "  <schema>IMS Common Cartridge</schema>",
        f"  <schemaversion>{schemaversion}</schemaversion>",
        "  <lomimscc:lom>",
        "   <lomimscc:general>",
        f"    <lomimscc:title><lomimscc:string language={quoteattr(lang)}>{escape(title)}</lomimscc:string></lomimscc:title>",
        f"    <lomimscc:language>{escape(lang)}</lomimscc:language>",
        "   </lomimscc:general>",
        "  </lomimscc:lom>",
        " </metadata>",
    ]


def entries(published: Published, version: str = "1.3") -> dict[str, bytes | Path]:
    """The cartridge's files."""
    from scenes.text import strings

    words = strings("questions", published.lang)
    media = launch.files(published)
    lecture = published.lecture
    captions = [lecture["captions"], lecture["chapters"]]
    handout = published.handout()
    explore = published.explore()
    page_files = [launch.PAGE] + sorted(n for n in media if n not in captions and n not in (handout, explore))
    out: dict[str, bytes | Path] = {f"{FOLDER}/{launch.PAGE}": launch.build(published, None).encode("utf-8")}
    out.update({f"{FOLDER}/{name}": path for name, path in media.items()})

    # (item id, title, resource id, href, files, dependencies)
    parts = [("item-lecture", published.title, "res-lecture", launch.PAGE, page_files, ["res-captions"])]
    if handout:
        parts.append(("item-handout", words["pkg_handout"], "res-handout", handout, [handout], []))
    if explore:
        parts.append(("item-explore", words["pkg_explore"], "res-explore", explore, [explore], []))
    parts.append(("item-captions", words["pkg_captions_file"], "res-captions", lecture["captions"], captions, []))

    lines = _head(published.identifier(), version, published.title, published.lang)
    lines += [" <organizations>", '  <organization identifier="org" structure="rooted-hierarchy">', '   <item identifier="root">']
    for item, title, res, _href, _files, _deps in parts:
        lines += [f'    <item identifier="{item}" identifierref="{res}">', f"     <title>{escape(title)}</title>", "    </item>"]
    lines += ["   </item>", "  </organization>", " </organizations>", " <resources>"]
    for _item, _title, res, href, names, deps in parts:
        lines.append(f'  <resource identifier="{res}" type="webcontent" href={quoteattr(f"{FOLDER}/{href}")}>')
        lines += [f"   <file href={quoteattr(f'{FOLDER}/{name}')}/>" for name in names]
        lines += [f'   <dependency identifierref="{dep}"/>' for dep in deps]
        lines.append("  </resource>")
    lines += [" </resources>", "</manifest>", ""]
    out[MANIFEST] = "\n".join(lines).encode("utf-8")
    return out
