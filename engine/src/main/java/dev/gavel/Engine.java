package dev.gavel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.compile.Prepared;
import dev.gavel.compile.Snapshot;
import dev.gavel.compile.Symbols;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.ConditionalEvaluator;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.eval.Verdict;
import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.Severity;
import dev.gavel.sts.CredentialResolver;
import dev.gavel.sts.SessionTokens;
import dev.gavel.sts.StsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Gavel's entry point: decides whether principals of a directory may perform actions on
 * resources, with AWS IAM's evaluation logic, on a compiled snapshot of the directory.
 *
 * <pre>{@code
 * Engine engine = Engine.open(Path.of("corpus/demo"));          // a folder, or one account dump
 * Principal alice = engine.principal("arn:aws:iam::111122223333:user/alice");
 * Action getObject = engine.action("s3:GetObject");
 * CheckContext context = engine.newContext()                    // one per thread, reused
 *         .put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1");
 * Answer answer = alice.check(getObject, "arn:aws:s3:::example-payments-data/orders/1.csv", context);
 * answer.allowed();      // true
 * answer.version();      // the snapshot it was decided on
 * }</pre>
 *
 * <p>Three ways to ask, from the most convenient to the fastest: {@link #check(String, String,
 * String, RequestContext)} by principal ARN (or {@link #checkCredentials} by access key),
 * {@link #explain} for the statements that decided; and prepared handles ({@link #principal},
 * {@link #credentials}, {@link #action}, {@link #newContext}) whose {@link Principal#check}
 * allocates, locks and throws nothing.
 *
 * <p>The engine is thread-safe. It publishes its current snapshot through one volatile field;
 * {@link #reload()} compiles a new one beside it and swaps it in, and a load that fails keeps the
 * old one serving. Every answer carries the version of the snapshot it was decided on. Any error
 * while deciding is an {@code implicitDeny}, counted in {@link #failures()}.
 */
public final class Engine implements AutoCloseable {

    /** How many actions that no policy of the engine names are remembered. */
    private static final int MAX_ACTIONS = 100_000;
    /** How many context keys are interned before keys no policy names are ignored. */
    private static final int MAX_CONTEXT_KEYS = 1_000_000;

    /** A snapshot with its shared answers. */
    static final class Loaded {
        final Snapshot snapshot;
        final Answer allowed;
        final Answer explicitDeny;
        final Answer implicitDeny;
        final Answer failed;

        Loaded(Snapshot snapshot) {
            this.snapshot = snapshot;
            long version = snapshot.version();
            allowed = new Answer(Decision.ALLOWED, version, null, false);
            explicitDeny = new Answer(Decision.EXPLICIT_DENY, version, null, false);
            implicitDeny = new Answer(Decision.IMPLICIT_DENY, version, null, false);
            failed = new Answer(Decision.IMPLICIT_DENY, version, null, true);
        }

        Answer answer(Decision decision) {
            return decision == Decision.ALLOWED ? allowed
                    : decision == Decision.EXPLICIT_DENY ? explicitDeny : implicitDeny;
        }
    }

    /** Resolves a principal handle against a snapshot; null when it no longer resolves. */
    interface Resolver {
        Prepared resolve(Loaded loaded);
    }

    private final Symbols symbols = new Symbols();
    private final Clock clock;
    private final Path source;
    private final AtomicLong versions = new AtomicLong();
    private final AtomicInteger actionIds = new AtomicInteger();
    private final Cache<String, Action> actions = Caffeine.newBuilder().maximumSize(MAX_ACTIONS).build();
    private final LongAdder failures = new LongAdder();
    private final SecureRandom random = new SecureRandom();
    private volatile Loaded loaded;
    private volatile Thread watcher;

    private Engine(Directory directory, Path source, Clock clock) {
        this.clock = clock;
        this.source = source;
        this.loaded = new Loaded(new Snapshot(directory, symbols, versions.incrementAndGet(), clock));
    }

    /** Opens a directory folder (or a single account dump), which {@link #reload()} reads again. */
    public static Engine open(Path directory) throws DirectoryException {
        return open(directory, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that {@code aws:CurrentTime} and expiry read. */
    public static Engine open(Path directory, Clock clock) throws DirectoryException {
        return new Engine(DirectoryLoader.loadFolderOrDump(directory), directory, clock);
    }

    /** An engine over a directory built or loaded elsewhere; it cannot reload from a folder. */
    public static Engine of(Directory directory) {
        return new Engine(directory, null, Clock.systemUTC());
    }

    /** As {@link #of(Directory)}, with the clock that {@code aws:CurrentTime} and expiry read. */
    public static Engine of(Directory directory, Clock clock) {
        return new Engine(directory, null, clock);
    }

    /** The version of the snapshot checks decide on now. */
    public long version() {
        return loaded.snapshot.version();
    }

    /** The directory of the current snapshot. */
    public Directory directory() {
        return loaded.snapshot.directory();
    }

    /**
     * Loads the folder again and swaps the new snapshot in, returning its version; checks in
     * flight finish on the old one. A folder that fails to load changes nothing: the old
     * snapshot keeps serving.
     */
    public long reload() throws DirectoryException {
        if (source == null) {
            throw new IllegalStateException("this engine was built from a directory in memory; it has no folder to "
                    + "reload from");
        }
        return swap(DirectoryLoader.loadFolderOrDump(source));
    }

    /** Swaps in a new directory, compiled as the next snapshot; returns the new version. */
    public long reload(Directory directory) {
        return swap(directory);
    }

    private synchronized long swap(Directory directory) {
        Loaded next = new Loaded(new Snapshot(directory, symbols, versions.incrementAndGet(), clock));
        loaded = next;
        return next.snapshot.version();
    }

    /** The clock that {@code aws:CurrentTime} and expiry read. */
    public Clock clock() {
        return clock;
    }

    /** The folder {@link #reload()} reads, or null. */
    Path source() {
        return source;
    }

    /** An action to check with: {@code service:Action}, in any case. Get it once and keep it. */
    public Action action(String name) {
        if (name.indexOf(':') <= 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not service:Action");
        }
        return actions.get(name.toLowerCase(Locale.ROOT), key -> new Action(actionIds.getAndIncrement(), name));
    }

    /** A context key to fill contexts with. Keys that Gavel fills itself are refused. */
    public ContextKey contextKey(String name) {
        if (Authorizer.isFilledKey(name)) {
            throw new IllegalArgumentException(name + " is filled from the principal, the resource's account or the "
                    + "clock, and cannot be supplied");
        }
        int slot = symbols.findKey(name);
        if (slot < 0) {
            slot = symbols.keyCount() < MAX_CONTEXT_KEYS ? symbols.key(name) : symbols.key("gavel:unread");
        }
        return new ContextKey(slot, name);
    }

    /** A new reusable context for one thread's checks. */
    public CheckContext newContext() {
        return new CheckContext(this);
    }

    /** A VPC endpoint's policy already parsed and validated, for checks through the endpoint. */
    public Endpoint endpoint(Policy policy) {
        return new Endpoint(policy);
    }

    /** A VPC endpoint's policy, for checks through the endpoint; its errors are refused. */
    public Endpoint endpoint(String policyJson) {
        List<Finding> errors = new PolicyValidator(PolicyValidator.Options.of(PolicyType.ENDPOINT))
                .validate("endpoint policy", policyJson).stream().filter(f -> f.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("the endpoint policy is invalid: " + errors.get(0));
        }
        ParseResult parsed = PolicyParser.parse("endpoint policy", policyJson);
        return new Endpoint(parsed.policy());
    }

    /**
     * A prepared handle for a user or role session of the directory, by ARN. A role session ARN
     * ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}) is that session with no session
     * policy. A role ARN is refused: only a role's sessions act.
     */
    public Principal principal(String principalArn) throws RequestException {
        Loaded current = loaded;
        Prepared prepared = current.snapshot.prepare(current.snapshot.identity(principalArn));
        return new Principal(this, next -> {
            try {
                return next.snapshot.prepare(next.snapshot.identity(principalArn));
            } catch (RequestException gone) {
                return null;
            }
        }, new Principal.Binding(current, prepared));
    }

    /**
     * A prepared handle for credentials: a user's access key, or a session's ({@code ASIA...}
     * with its session token), resolved as AWS resolves them.
     */
    public Principal credentials(String accessKeyId, String sessionToken) throws StsException, RequestException {
        Loaded current = loaded;
        Prepared prepared = current.snapshot.prepare(resolve(current, accessKeyId, sessionToken));
        return new Principal(this, next -> {
            try {
                return next.snapshot.prepare(resolve(next, accessKeyId, sessionToken));
            } catch (StsException | RequestException gone) {
                return null;
            }
        }, new Principal.Binding(current, prepared));
    }

    private Identity resolve(Loaded current, String accessKeyId, String sessionToken) throws StsException {
        Directory directory = current.snapshot.directory();
        return new CredentialResolver(directory, new SessionTokens(directory.sessionKeys(), clock, random))
                .resolve(accessKeyId, sessionToken).identity();
    }

    /** Decides one request by principal ARN: the convenient way, which resolves the principal each time. */
    public Answer check(String principalArn, String action, String resource, RequestContext context)
            throws RequestException {
        return principal(principalArn).check(action(action), resource, contextOf(context));
    }

    /** Decides one request by credentials, as {@link #credentials} resolves them. */
    public Answer checkCredentials(String accessKeyId, String sessionToken, String action, String resource,
            RequestContext context) throws StsException, RequestException {
        return credentials(accessKeyId, sessionToken).check(action(action), resource, contextOf(context));
    }

    /** Decides one request by principal ARN and explains it: the statements that decided, and why. */
    public Answer explain(String principalArn, String action, String resource, RequestContext context)
            throws RequestException {
        return principal(principalArn).explain(action(action), resource, contextOf(context));
    }

    /** Decides and explains one request of a prepared principal, with a context of request facts. */
    public Answer explain(Principal principal, String action, String resource, RequestContext context)
            throws RequestException {
        return principal.explain(action(action), resource, contextOf(context));
    }

    /** As {@link #explain(Principal, String, String, RequestContext)}, through a VPC endpoint. */
    public Answer explain(Principal principal, String action, String resource, RequestContext context,
            Endpoint endpoint) throws RequestException {
        return principal.explain(action(action), resource, contextOf(context).through(endpoint));
    }

    /**
     * Analyses a request of a prepared principal whose context is partly unknown: allowed, denied,
     * or conditional on the unknown keys, as {@link ConditionalEvaluator} answers with the
     * reference evaluation logic. The keys Gavel fills (the principal's, the resource account's,
     * the time) are always known; {@code knowledge} says which of the others are unknown, except
     * that a key (or pattern) of {@link Authorizer#SESSION_KEY_PATTERNS} that {@code knowledge}
     * names unknown, as written there, is unknown: the answer then holds for any session of a
     * role (any session name, tags, source identity, MFA), not only the principal's own.
     *
     * @param endpoint the VPC endpoint the request comes through, or null
     */
    public ConditionalEvaluation analyse(Principal principal, String action, String resource, RequestContext context,
            KeyKnowledge knowledge, Endpoint endpoint) throws RequestException {
        Loaded current = loaded;
        Identity identity = principal.identity(current);
        if (identity == null) {
            throw new RequestException("principal", principal.arn()
                    + " is no longer in the directory, or its credentials have expired");
        }
        Evaluation restricted = Authorizer.sessionTokenRestriction(identity, action);
        if (restricted != null) {
            return new ConditionalEvaluation(Verdict.IMPLICIT_DENY, Residual.FALSE, Residual.FALSE,
                    restricted.explanation());
        }
        Authorizer authorizer = new Authorizer(current.snapshot.directory(), clock);
        if (endpoint != null) {
            authorizer = authorizer.throughEndpoint(endpoint.policy());
        }
        Authorizer.Prepared prepared = authorizer.prepare(identity, action, resource, context);
        // Filled keys are known, but for the session keys that the knowledge names unknown as written.
        List<String> unknownSessionKeys = Authorizer.SESSION_KEY_PATTERNS.stream()
                .filter(pattern -> knowledge.unknownKeys().stream().anyMatch(pattern::equalsIgnoreCase)).toList();
        List<String> known = Authorizer.filledKeyPatterns().stream()
                .filter(pattern -> unknownSessionKeys.stream().noneMatch(pattern::equalsIgnoreCase)).toList();
        Request request = prepared.request();
        if (!unknownSessionKeys.isEmpty()) {
            RequestContext.Builder stripped = request.context().toBuilder();
            for (RequestContext.Entry entry : request.context().entries()) {
                if (unknownSessionKeys.stream().anyMatch(pattern -> sessionKeyMatches(pattern, entry.key()))) {
                    stripped.remove(entry.key());
                }
            }
            request = new Request(request.principal(), request.action(), request.resource(),
                    request.resourceAccount(), stripped.build());
        }
        return new ConditionalEvaluator().evaluate(request, prepared.policies(), knowledge.withKnown(known));
    }

    /** Whether a key is one a session key pattern names: the name itself, or a tag under {@code aws:PrincipalTag/*}. */
    private static boolean sessionKeyMatches(String pattern, String key) {
        String lowerPattern = pattern.toLowerCase(Locale.ROOT);
        String lowerKey = key.toLowerCase(Locale.ROOT);
        return lowerPattern.endsWith("*") ? lowerKey.startsWith(lowerPattern.substring(0, lowerPattern.length() - 1))
                : lowerKey.equals(lowerPattern);
    }

    /**
     * Decides and explains a request of the anonymous caller: an unsigned request, which only a
     * resource's own policy can allow, within the resource account's RCPs. Fails closed.
     */
    public Answer explainAnonymous(String action, String resource, RequestContext context) throws RequestException {
        Loaded current = loaded;
        try {
            Evaluation evaluation = current.snapshot.explainAnonymous(action, resource, context);
            return new Answer(evaluation.decision(), current.snapshot.version(), evaluation.explanation(), false);
        } catch (RuntimeException e) {
            failed(e);
            return current.failed;
        }
    }

    private CheckContext contextOf(RequestContext context) throws RequestException {
        CheckContext checkContext = newContext();
        if (context == null) {
            return checkContext;
        }
        for (RequestContext.Entry entry : context.entries()) {
            if (Authorizer.isFilledKey(entry.key())) {
                throw new RequestException("context." + entry.key(), "is filled from the principal, the resource's "
                        + "account or the clock, and cannot be supplied");
            }
            if (entry.multivalued()) {
                checkContext.putAll(entry.key(), entry.values());
            } else {
                checkContext.put(entry.key(), entry.values().get(0));
            }
        }
        return checkContext;
    }

    /** How many checks failed closed on an internal error since the engine started. */
    public long failures() {
        return failures.sum();
    }

    void failed(RuntimeException error) {
        failures.increment();
    }

    Loaded loaded() {
        return loaded;
    }

    long millis() {
        return clock.millis();
    }

    /**
     * Watches the folder (or dump file) the engine was opened from, and reloads it when a file
     * in it changes: checked every {@code interval} by the files' names, sizes and modification
     * times. A reload that fails keeps the old snapshot serving and is reported to
     * {@code onFailure}. Stopped by {@link #close()}.
     */
    public synchronized void watch(Duration interval, Consumer<DirectoryException> onFailure) {
        if (source == null) {
            throw new IllegalStateException("this engine was built from a directory in memory; it has no folder to watch");
        }
        if (watcher != null) {
            throw new IllegalStateException("the engine already watches " + source);
        }
        String first = fingerprint(source);
        Thread thread = new Thread(() -> {
            String seen = first;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                String now = fingerprint(source);
                if (!now.equals(seen)) {
                    seen = now;
                    try {
                        reload();
                    } catch (DirectoryException e) {
                        onFailure.accept(e);
                    }
                }
            }
        }, "gavel-watch " + source);
        thread.setDaemon(true);
        watcher = thread;
        thread.start();
    }

    /** The names, sizes and modification times of the files under a path, as one string. */
    static String fingerprint(Path path) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted().toList()) {
                if (Files.isRegularFile(file)) {
                    out.append(file).append(' ').append(Files.size(file)).append(' ')
                            .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
                }
            }
        } catch (IOException | UncheckedIOException e) {
            out.append("unreadable: ").append(e.getMessage());
        }
        return out.toString();
    }

    /** Stops watching the folder, if the engine watches one. Checks keep working. */
    @Override
    public synchronized void close() {
        Thread thread = watcher;
        if (thread != null) {
            thread.interrupt();
            watcher = null;
        }
    }
}
