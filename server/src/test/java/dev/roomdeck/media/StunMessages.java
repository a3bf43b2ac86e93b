package dev.roomdeck.media;

import org.ice4j.StunException;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.stack.TransactionID;

/** Raw STUN for tests that knock on the shared port. */
final class StunMessages {
    private StunMessages() {
    }

    /** A well-formed binding request carrying USERNAME but no MESSAGE-INTEGRITY. */
    static byte[] bindingRequest(String username) throws StunException {
        Request request = MessageFactory.createBindingRequest();
        request.putAttribute(AttributeFactory.createUsernameAttribute(username));
        request.setTransactionID(TransactionID.createNewTransactionID().getBytes());
        return request.encode(null);
    }
}
