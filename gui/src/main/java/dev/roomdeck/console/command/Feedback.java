package dev.roomdeck.console.command;

/** Where the outcome of an operator command is told; called on the FX thread. */
public interface Feedback {
    void succeeded(String what);

    void failed(String what, String why);
}
