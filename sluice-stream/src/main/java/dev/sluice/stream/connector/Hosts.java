package dev.sluice.stream.connector;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where a listener may bind without authentication. */
public final class Hosts {
    private Hosts() {}

    /** Whether {@code host} is this machine only (127.0.0.1, ::1, localhost); a name that does not resolve is not. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
