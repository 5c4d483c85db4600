package io.streampatterns.dashboard;

import io.streampatterns.core.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the dashboard listens and the access token it requires. Defaults: {@code 127.0.0.1:4050}, no token.
 * Binding to an address other than loopback requires a token (checked by {@link #validate()}): on a
 * network the page, the JSON API and the Prometheus endpoint would otherwise be open to anyone.
 * {@link #toString()} never shows the token.
 */
public final class ServerOptions {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 4050;
    /** Shortest accepted token: 16 characters (e.g. {@code openssl rand -hex 16} gives 32). */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final InetAddress bind;
    private final int port;
    private final String token;

    private ServerOptions(InetAddress bind, int port, String token) {
        this.bind = bind;
        this.port = port;
        this.token = token;
    }

    public static ServerOptions defaults() {
        return new ServerOptions(InetAddress.getLoopbackAddress(), DEFAULT_PORT, null);
    }

    /** Address to listen on: an IP address or host name ({@code 0.0.0.0} = every interface). */
    public ServerOptions bind(String address) {
        ConfigException.check(address != null && !address.isBlank(), "--bind needs an address, e.g. 127.0.0.1");
        try {
            return new ServerOptions(InetAddress.getByName(address.trim()), port, token);
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot resolve bind address '" + address + "'", e);
        }
    }

    /** TCP port, 0 for any free port (see {@link DashboardServer#port()}). */
    public ServerOptions port(int port) {
        ConfigException.check(port >= 0 && port <= 65535, "--port must be between 0 and 65535, got " + port);
        return new ServerOptions(bind, port, token);
    }

    /** Token every request must present ({@code Authorization: Bearer TOKEN} or {@code ?token=TOKEN}); null or blank for none. */
    public ServerOptions token(String token) {
        if (token == null || token.isBlank()) {
            return new ServerOptions(bind, port, null);
        }
        ConfigException.check(token.length() >= MIN_TOKEN_LENGTH && token.strip().equals(token),
                "the dashboard token must have at least " + MIN_TOKEN_LENGTH + " characters and no surrounding spaces");
        return new ServerOptions(bind, port, token);
    }

    /** Refuses a non-loopback bind address without a token. */
    public ServerOptions validate() {
        ConfigException.check(bind.isLoopbackAddress() || token != null,
                "binding the dashboard to " + bind.getHostAddress() + " (not loopback) requires a token:"
                        + " --token TOKEN or STREAMPATTERNS_DASHBOARD_TOKEN");
        return this;
    }

    public InetAddress bindAddress() {
        return bind;
    }

    public int port() {
        return port;
    }

    public boolean hasToken() {
        return token != null;
    }

    /** The token, for the server's comparison only. */
    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ServerOptions{bind=" + bind.getHostAddress() + ", port=" + port + ", token=" + (token == null ? "none" : "***") + "}";
    }
}
