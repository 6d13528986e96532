<?xml version="1.0" encoding="UTF-8"?>
<!-- Copyright 2026 The Boost.STM authors.
     Distributed under the Boost Software License, Version 1.0.
     (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt) -->
<!-- HTML pages from the DocBook that boostbook-to-docbook.xsl makes, with
     Debian's docbook-xsl (package docbook-xsl): one page per chapter, each
     with a <title>, previous / up / home / next navigation at its top and
     bottom, and the version at its foot. Only parameters and one footer
     template are set here; the HTML is docbook-xsl's. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="http://docbook.sourceforge.net/release/xsl/current/html/chunk.xsl"/>

  <xsl:param name="version"/>

  <xsl:param name="chunk.section.depth" select="0"/>
  <xsl:param name="chunk.first.sections" select="0"/>
  <xsl:param name="use.id.as.filename" select="1"/>
  <xsl:param name="root.filename" select="'index'"/>
  <xsl:param name="html.stylesheet" select="'stm.css'"/>
  <xsl:param name="navig.showtitles" select="1"/>
  <xsl:param name="suppress.navigation" select="0"/>
  <xsl:param name="header.rule" select="1"/>
  <xsl:param name="footer.rule" select="1"/>
  <xsl:param name="generate.section.toc.level" select="1"/>
  <xsl:param name="toc.section.depth" select="1"/>
  <xsl:param name="section.autolabel" select="0"/>
  <xsl:param name="chapter.autolabel" select="0"/>
  <xsl:param name="generate.id.attributes" select="1"/>
  <xsl:param name="admon.graphics" select="0"/>
  <xsl:param name="chunker.output.encoding" select="'UTF-8'"/>
  <xsl:param name="chunker.output.indent" select="'yes'"/>
  <xsl:param name="html.cleanup" select="1"/>
  <xsl:param name="make.valid.html" select="1"/>
  <xsl:param name="index.on.type" select="0"/>
  <xsl:param name="generate.toc">
book      toc,title
chapter   toc
preface   toc
  </xsl:param>

  <!-- Every page's foot names the library and its version. -->
  <xsl:template name="user.footer.content">
    <p class="stm-version">Boost.STM <xsl:value-of select="$version"/></p>
  </xsl:template>

  <!-- The page title says which library it belongs to. -->
  <xsl:template name="user.head.title">
    <xsl:param name="node" select="."/>
    <xsl:param name="title"/>
    <title>
      <xsl:value-of select="$title"/>
      <xsl:if test="$node != /*">
        <xsl:text> - Boost.STM </xsl:text><xsl:value-of select="$version"/>
      </xsl:if>
    </title>
  </xsl:template>
</xsl:stylesheet>
