package bench;

import io.javalin.Javalin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The service bench/real-app.sh starts: at start it connects to Redis and writes a key, then serves
 * {@code GET /} on the given port, reading Redis for every request. Its first 200 is what the benchmark times.
 *
 * <pre>java -cp real-app.jar:lib/* bench.Orders HTTP-PORT REDIS-PORT</pre>
 */
public final class Orders {

    public static void main(String[] args) {
        int httpPort = Integer.parseInt(args[0]);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + args[1]);
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisCommands<String, String> redis = connection.sync();
        redis.set("orders:greeting", "orders service up");
        Javalin.create(config -> config.routes.get("/", ctx -> ctx.result(redis.get("orders:greeting") + ", request "
                + redis.incr("orders:requests")))).start("127.0.0.1", httpPort);
    }
}
