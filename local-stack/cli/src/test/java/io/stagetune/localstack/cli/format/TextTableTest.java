package io.stagetune.localstack.cli.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTableTest {

    @Test
    void padsColumnsToTheirWidestCellAlignsNumbersRightAndShowsNullAsADash() {
        String text = new TextTable().left("label").right("count").left("note")
                .row("coat", 7, "ok")
                .row("ankle boot", 1234, null)
                .separator()
                .row("all", 1241, "")
                .render("  ");

        assertThat(text).isEqualTo("""
                  label       count  note
                  coat            7  ok
                  ankle boot   1234  -
                  -----------------------
                  all          1241
                """);
    }

    @Test
    void refusesARowWithTheWrongNumberOfCells() {
        assertThatThrownBy(() -> new TextTable().left("a").right("b").row("only one"))
                .hasMessage("a row of 1 cells in a table of 2 columns");
    }
}
