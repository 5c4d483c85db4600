package io.streampatterns.dedup;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdChunkTest {
    private static IdChunk chunk(Object... idAndUntil) {
        List<byte[]> ids = new ArrayList<>();
        List<Long> untils = new ArrayList<>();
        for (int i = 0; i < idAndUntil.length; i += 2) {
            ids.add(IdChunk.key((String) idAndUntil[i]));
            untils.add(((Number) idAndUntil[i + 1]).longValue());
        }
        return IdChunk.of(ids, untils);
    }

    @Test
    void findsEveryIdAndOnlyThoseWithTheirTimes() {
        IdChunk c = IdChunk.wrap(chunk("b", 20, "a", 10, "é", 30, "ab", 40, "", 50).bytes());
        assertEquals(10, c.untilOf(IdChunk.key("a")));
        assertEquals(40, c.untilOf(IdChunk.key("ab")));
        assertEquals(20, c.untilOf(IdChunk.key("b")));
        assertEquals(30, c.untilOf(IdChunk.key("é")));
        assertEquals(50, c.untilOf(IdChunk.key("")));
        assertEquals(Long.MIN_VALUE, c.untilOf(IdChunk.key("c")));
        assertEquals(Long.MIN_VALUE, c.untilOf(IdChunk.key("aa")));
        assertEquals(10, c.minUntil());
        assertEquals(50, c.maxUntil());
        assertEquals(5, c.size());
    }

    @Test
    void anEmptyChunkFindsNothing() {
        IdChunk c = chunk();
        assertEquals(0, c.size());
        assertEquals(Long.MIN_VALUE, c.untilOf(IdChunk.key("a")));
    }

    @Test
    void mergeKeepsTheLatestTimeOfAnIdAndDropsExpiredOnes() {
        IdChunk m = IdChunk.merge(List.of(chunk("a", 10, "b", 50), chunk("a", 60, "c", 20, "d", 70)), 20);
        assertEquals(60, m.untilOf(IdChunk.key("a")));
        assertEquals(50, m.untilOf(IdChunk.key("b")));
        assertEquals(Long.MIN_VALUE, m.untilOf(IdChunk.key("c")), "at the watermark: expired");
        assertEquals(70, m.untilOf(IdChunk.key("d")));
        assertEquals(3, m.size());
    }

    @Test
    void randomIdsAgainstAHashMap() {
        Random r = new Random(7);
        Map<String, Long> expected = new HashMap<>();
        List<byte[]> ids = new ArrayList<>();
        List<Long> untils = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String id = Long.toHexString(r.nextLong()) + (r.nextBoolean() ? "ü" : "");
            if (expected.putIfAbsent(id, (long) i) == null) {
                ids.add(IdChunk.key(id));
                untils.add((long) i);
            }
        }
        IdChunk c = IdChunk.wrap(IdChunk.of(ids, untils).bytes());
        expected.forEach((id, u) -> assertEquals(u, c.untilOf(IdChunk.key(id)), id));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Long.MIN_VALUE, c.untilOf(IdChunk.key("x" + r.nextLong())));
        }
    }
}
