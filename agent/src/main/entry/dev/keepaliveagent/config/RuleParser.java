package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;
import static dev.keepaliveagent.config.InputText.wholeNumber;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Reads one rule of {@code rules=} or of a config file: loaded only where there are rules. */
final class RuleParser {

    private RuleParser() {
    }

    /**
     * {@code CONDITIONS => ACTION}: conditions separated by spaces or '+', each an address or CIDR range
     * (10.0.0.0/8, fd00::/8), a host name (db.internal, *.internal), {@code port=N} or {@code listen=N}; one
     * of each kind given must hold (see {@link Rule}); the action {@code off}, or settings separated by spaces or
     * '/' ({@code idle=30/intvl=5/cnt=3/utimeout=20s}), the rest taken from the global settings as given ({@code auto} not
     * yet worked out, so that it is worked out from the rule's own).
     */
    static Rule rule(Sourced text, Settings global, RetransmissionLimit kernel, List<String> warnings)
            throws InvalidArgumentException {
        String from = " in rule '" + printable(text.value) + "'" + (text.source.equals(Sourced.ARGS) ? "" : " (from " + text.source + ")");
        int arrow = text.value.indexOf("=>");
        if (arrow < 0) {
            throw new InvalidArgumentException("no '=>'" + from + "; write a rule as CONDITIONS => SETTINGS or off,"
                    + " e.g. 10.0.0.0/8+port=5432 => idle=30/intvl=5/cnt=3, or 127.0.0.0/8 => off");
        }
        List<Rule.Condition> conditions = new ArrayList<>();
        for (String token : text.value.substring(0, arrow).trim().split("[\\s+]+")) {
            if (!token.isEmpty()) {
                conditions.add(condition(token, from));
            }
        }
        if (conditions.isEmpty()) {
            throw new InvalidArgumentException("no condition" + from + "; expected an address, a CIDR range, a host name,"
                    + " port=N or listen=N before '=>'");
        }
        refuseWhatCanNeverMatch(conditions, from);
        String action = text.value.substring(arrow + 2).trim();
        if (action.equalsIgnoreCase("off")) {
            return new Rule(text.value, conditions, null);
        }
        Settings settings = global;
        for (String setting : action.split("[\\s/]+")) {
            if (setting.isEmpty()) {
                continue;
            }
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            Sourced value = new Sourced(eq < 0 ? "" : setting.substring(eq + 1), text.source);
            if (value.value.isEmpty()) {
                throw new InvalidArgumentException("'" + printable(setting) + "'" + from + " is not key=value;"
                        + " expected off, or " + keys("=, ") + "= separated by '/' or spaces");
            }
            KeepaliveOption option = KeepaliveOption.withKey(key);
            if (option == null) {
                throw new InvalidArgumentException("unknown setting '" + printable(key) + "'" + from
                        + "; a rule accepts off, or " + keys(", "));
            }
            settings = settings.with(option, option.read(value));
            kernel.warnIfLonger(option, settings.get(option), value, warnings);
        }
        return new Rule(text.value, conditions, settings.withAutoWorkedOut(kernel));
    }

    private static String keys(String separator) {
        StringBuilder keys = new StringBuilder();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            keys.append(keys.length() == 0 ? "" : separator).append(option.key());
        }
        return keys.toString();
    }

    /**
     * A connection is either made (it has a remote port and, if the app gave one, a host name) or accepted
     * (it has a listening port and a bare address): a rule that asks for both matches nothing, silently.
     */
    private static void refuseWhatCanNeverMatch(List<Rule.Condition> conditions, String from) throws InvalidArgumentException {
        boolean remotePort = false;
        boolean listenPort = false;
        boolean destination = false;
        boolean onlyHostNames = true;
        for (Rule.Condition condition : conditions) {
            remotePort |= condition.kind() == Rule.Kind.REMOTE_PORT;
            listenPort |= condition.kind() == Rule.Kind.LISTEN_PORT;
            if (condition.kind() == Rule.Kind.DESTINATION) {
                destination = true;
                onlyHostNames &= condition.isHostName();
            }
        }
        if (remotePort && listenPort) {
            throw new InvalidArgumentException("the conditions" + from + " can never hold together: port=N is the remote port"
                    + " of connections the app makes, listen=N the local port of those it accepts; write two rules");
        }
        if (listenPort && destination && onlyHostNames) {
            throw new InvalidArgumentException("the conditions" + from + " can never hold together: a connection the app"
                    + " accepts (listen=N) has a peer address, never a host name; give the peers' addresses or ranges");
        }
    }

    private static Rule.Condition condition(String token, String from) throws InvalidArgumentException {
        if (token.startsWith("port=") || token.startsWith("listen=")) {
            boolean listen = token.startsWith("listen=");
            String digits = token.substring(token.indexOf('=') + 1);
            long port = wholeNumber(digits);
            if (port < 1 || port > 65535) {
                throw new InvalidArgumentException("'" + printable(token) + "'" + from + " is not a port; expected 1..65535");
            }
            return listen ? Rule.listenPort((int) port) : Rule.remotePort((int) port);
        }
        String address = token;
        int prefix = -1;
        int slash = token.indexOf('/');
        if (slash >= 0) {
            address = token.substring(0, slash);
            prefix = (int) Math.min(wholeNumber(token.substring(slash + 1)), Integer.MAX_VALUE);
        }
        boolean ipv4 = address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = address.indexOf(':') >= 0 && address.matches("[0-9A-Fa-f:.]+");
        if (ipv4 || ipv6) {
            byte[] bytes;
            try {
                // A literal, so no DNS look-up happens here.
                bytes = Rule.normalised(InetAddress.getByName(address).getAddress());
            } catch (UnknownHostException | RuntimeException e) {
                throw new InvalidArgumentException("'" + printable(token) + "'" + from + " is not an IP address");
            }
            int bits = bytes.length * 8;
            if (slash >= 0 && (prefix < 0 || prefix > bits)) {
                throw new InvalidArgumentException("'" + printable(token) + "'" + from + " has a bad prefix length; expected /0../" + bits);
            }
            return Rule.cidr(bytes, slash >= 0 ? prefix : bits);
        }
        if (slash < 0 && token.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")
                && token.matches(".*[A-Za-z].*")) {
            return Rule.host(token);
        }
        throw new InvalidArgumentException("'" + printable(token) + "'" + from + " is not a condition; expected an address"
                + " (10.0.0.5), a CIDR range (10.0.0.0/8, fd00::/8), a host name (db.internal, *.internal), port=N or listen=N");
    }
}
