package org.pisbridge.runtime;

/** A listener could not bind its port: start-up must stop and say which one. */
public final class PortInUseException extends IllegalStateException {
    public PortInUseException(String what, String host, int port) {
        super(what + " cannot listen on " + host + ":" + port + ": port already in use");
    }
}
