package dev.signet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of JSON objects as a plain text table: a header, columns padded to their widest cell. */
final class Table {
  private Table() {}

  static void print(PrintWriter out, List<AdminReadCommands.Column> columns, JsonNode rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(AdminReadCommands.Column::title).toArray(String[]::new));
    for (JsonNode row : rows) {
      // Control characters in stored text (a user's name) must not move the terminal's cursor.
      cells.add(columns.stream().map(c -> c.value().apply(row).replaceAll("\\p{Cntrl}", "?")).toArray(String[]::new));
    }
    int[] width = new int[columns.size()];
    for (String[] r : cells) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
