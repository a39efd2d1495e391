/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import java.util.Set;
import org.apache.commons.text.StringEscapeUtils;

/**
 * A small HTML writer: tags and attribute names are the caller's constants, every text and every
 * attribute value goes through commons-text's HTML escaper (which escapes {@code & < > "}; values
 * are always written in double quotes), so a view name or a value can never become markup.
 */
final class Html {
  /** Tags after whose end a line break keeps the page source readable. */
  private static final Set<String> BLOCKS =
      Set.of(
          "html", "head", "title", "style", "body", "section", "div", "h1", "h2", "h3", "p",
          "table", "tr");

  private final StringBuilder out = new StringBuilder(64 * 1024);

  /** Escapes text for an element's content or a double-quoted attribute value. */
  static String escape(String text) {
    return StringEscapeUtils.escapeHtml4(text);
  }

  /** Opens a tag; {@code attributes} are name, value pairs. */
  Html open(String tag, String... attributes) {
    out.append('<').append(tag);
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must be name, value pairs: " + tag);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1]));
      out.append('"');
    }
    out.append('>');
    return this;
  }

  Html close(String tag) {
    out.append("</").append(tag).append('>');
    if (BLOCKS.contains(tag)) {
      out.append('\n');
    }
    return this;
  }

  /** An element with escaped text content. */
  Html element(String tag, String text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  Html text(String text) {
    out.append(escape(text));
    return this;
  }

  /** Markup the report itself wrote (its style sheet, the doctype): never user data. */
  Html trusted(String markup) {
    out.append(markup);
    return this;
  }

  /** A table row of escaped cells: {@code th} cells for a header row, else {@code td}. */
  Html row(boolean header, String... cells) {
    open("tr");
    for (String cell : cells) {
      element(header ? "th" : "td", cell);
    }
    return close("tr");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
