package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-principal action memo: what is stored is found, it starts over when full, and readers never see another id's value. */
class ActionMemoTest {

    @Test
    void everyStoredActionIsFoundUpToTheBound() {
        ActionMemo<String> memo = new ActionMemo<>();
        for (int id = 0; id < 30_000; id++) {
            memo.put(id, "plan " + id);
        }
        for (int id = 0; id < 30_000; id++) {
            assertThat(memo.get(id)).isEqualTo("plan " + id);
        }
        assertThat(memo.get(30_000)).isNull();
        memo.put(7, "replanned");
        assertThat(memo.get(7)).isEqualTo("replanned");
    }

    @Test
    void aFullMemoStartsOverRatherThanGrowWithoutLimit() {
        ActionMemo<Integer> memo = new ActionMemo<>();
        for (int id = 0; id < 32_768; id++) {
            memo.put(id, id);
        }
        memo.put(1_000_000, 1);
        assertThat(memo.get(1_000_000)).isEqualTo(1);
        assertThat(memo.get(0)).isNull();
    }

    @Test
    void aReaderRacingTheWriterSeesNothingOrTheRightValue() throws Exception {
        ActionMemo<Integer> memo = new ActionMemo<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                for (int id = 0; id < 20_000; id += 7) {
                    Integer value = memo.get(id);
                    if (value != null && value != id) {
                        wrong.set("id " + id + " gave " + value);
                    }
                }
            }
        });
        reader.start();
        for (int id = 0; id < 20_000; id++) {
            memo.put(id, id);
        }
        done.set(true);
        reader.join();
        assertThat(wrong.get()).isNull();
    }
}
