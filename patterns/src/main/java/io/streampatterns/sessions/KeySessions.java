package io.streampatterns.sessions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one key, one value: its open sessions (in start order) and the time of its event-time timer.
 * A Java bean so that Spark stores it as readable columns. Internal to the sessionizer; public only because
 * Spark's bean encoder requires it.
 */
public final class KeySessions implements Serializable {
    private static final long serialVersionUID = 1L;

    private List<OpenSession> open = new ArrayList<>();
    private long timer = OpenSession.NONE;

    public KeySessions() {
    }

    KeySessions(List<OpenSession> open, long timer) {
        this.open = open;
        this.timer = timer;
    }

    public List<OpenSession> getOpen() {
        return open;
    }

    public void setOpen(List<OpenSession> open) {
        this.open = open;
    }

    /** Time of the key's timer: at or before the earliest end of the open sessions. */
    public long getTimer() {
        return timer;
    }

    public void setTimer(long timer) {
        this.timer = timer;
    }
}
