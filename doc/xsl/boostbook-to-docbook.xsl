<?xml version="1.0" encoding="UTF-8"?>
<!-- Copyright 2026 The Boost.STM authors.
     Distributed under the Boost Software License, Version 1.0.
     (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt) -->
<!-- QuickBook writes BoostBook: DocBook 4 with a <library> root and its
     <libraryinfo>. This turns it into a DocBook <book> for docbook-xsl:
     the version goes into <releaseinfo>, and every name the Reference
     documents (the first name in the first column of each of its tables, and
     each header) gets an <indexterm>, from which docbook-xsl builds the
     index page added at the end. Everything else is copied as it is. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8"
    doctype-public="-//OASIS//DTD DocBook XML V4.5//EN"
    doctype-system="http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd"/>

  <xsl:param name="version"/>

  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>

  <xsl:template match="library">
    <book id="{@id}">
      <bookinfo>
        <xsl:copy-of select="title"/>
        <xsl:copy-of select="libraryinfo/*"/>
        <releaseinfo>Version <xsl:value-of select="$version"/></releaseinfo>
      </bookinfo>
      <!-- The text before the first chapter becomes a preface. -->
      <xsl:if test="para|section">
        <preface id="{@id}.overview">
          <title>Overview</title>
          <xsl:apply-templates select="*[not(self::title or self::libraryinfo or self::chapter)]"/>
        </preface>
      </xsl:if>
      <xsl:apply-templates select="chapter"/>
      <index id="{@id}.index"><title>Index</title></index>
    </book>
  </xsl:template>

  <!-- The Reference: each header and each documented member is indexed. -->
  <xsl:template match="chapter[@id='reference']//section/title">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
    <xsl:if test="starts-with(normalize-space(.), 'Header')">
      <indexterm>
        <primary><xsl:value-of select="normalize-space(substring-after(., 'Header'))"/></primary>
      </indexterm>
    </xsl:if>
  </xsl:template>

  <xsl:template match="chapter[@id='reference']//tbody/row/entry[1]">
    <xsl:variable name="name" select="(.//phrase[@role='identifier'])[1]"/>
    <xsl:copy>
      <xsl:apply-templates select="@*"/>
      <xsl:if test="$name">
        <indexterm><primary><xsl:value-of select="$name"/></primary></indexterm>
      </xsl:if>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
