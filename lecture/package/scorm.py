"""SCORM 1.2 and SCORM 2004 4th edition packages: imsmanifest.xml, the ADL schema files it
names (schemas/scorm12, schemas/scorm2004: unmodified, with their notices inside), and one
SCO, the launch page (launch.py) with the lecture's files."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import launch
from .source import Published, schema_files

MANIFEST = "imsmanifest.xml"

_SCORM12_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={identifier} version="1.0"
 xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
 <metadata>
  <schema>ADL SCORM</schema>
  <schemaversion>1.2</schemaversion>
 </metadata>
"""

_SCORM2004_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={identifier} version="1"
 xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
 xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
 xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
 xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
 <metadata>
  <schema>ADL SCORM</schema>
  <schemaversion>2004 4th Edition</schemaversion>
 </metadata>
"""


def manifest_xml(published: Published, fmt: str, files: list[str]) -> str:
    """imsmanifest.xml: one organization, one item, one SCO resource listing ``files``."""
    title = escape(published.title)
    quiz = bool(published.questions)
    lines = [(_SCORM12_HEAD if fmt == "scorm12" else _SCORM2004_HEAD).format(identifier=quoteattr(published.identifier()))]
    lines += [' <organizations default="lecture-org">', '  <organization identifier="lecture-org">',
              f"   <title>{title}</title>", '   <item identifier="lecture-item" identifierref="lecture-sco" isvisible="true">',
              f"    <title>{title}</title>"]
    if fmt == "scorm12":
        if quiz:
            lines.append(f"    <adlcp:masteryscore>{launch.MASTERY_SCORE}</adlcp:masteryscore>")
    elif quiz:  # the LMS judges success from the score too: scaled score >= 0.8 passes
        lines += ["    <imsss:sequencing>", "     <imsss:objectives>",
                  '      <imsss:primaryObjective objectiveID="lecture-questions" satisfiedByMeasure="true">',
                  f"       <imsss:minNormalizedMeasure>{launch.MASTERY_SCORE / 100:.2f}</imsss:minNormalizedMeasure>",
                  "      </imsss:primaryObjective>", "     </imsss:objectives>", "    </imsss:sequencing>"]
    lines += ["   </item>", "  </organization>", " </organizations>", " <resources>"]
    scorm_type = 'adlcp:scormtype="sco"' if fmt == "scorm12" else 'adlcp:scormType="sco"'
    lines.append(f'  <resource identifier="lecture-sco" type="webcontent" {scorm_type} href="{launch.PAGE}">')
    lines += [f"   <file href={quoteattr(name)}/>" for name in files]
    lines += ["  </resource>", " </resources>", "</manifest>", ""]
    return "\n".join(lines)


def entries(published: Published, fmt: str) -> dict[str, bytes | Path]:
    """The SCORM package's files (``fmt``: scorm12 or scorm2004)."""
    media = launch.files(published)
    page = launch.build(published, "1.2" if fmt == "scorm12" else "2004")
    content = sorted([launch.PAGE, *media])
    out: dict[str, bytes | Path] = {launch.PAGE: page.encode("utf-8"), **media}
    out.update(schema_files("scorm12" if fmt == "scorm12" else "scorm2004"))
    out[MANIFEST] = manifest_xml(published, fmt, content).encode("utf-8")
    return out
