package dev.keepaliveagent.instrument;

import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines the advice of some targets into one JDK class file. Only Byte Buddy's {@code Advice} and
 * its class-file reader and writer are used (no {@code AgentBuilder}): that is all a handful of
 * JDK methods need, and it loads far fewer classes at start-up, and none of the class injectors
 * that make recent JDKs print warnings into the app's output.
 */
final class AdviceWeaver {

    // Adds no field, method or initializer: already-loaded classes may only be retransformed so.
    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    byte[] weave(String typeName, byte[] classFile, List<Target> targets) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, classFile),
                ClassFileLocator.ForClassLoader.ofBootLoader());
        TypeDescription type = TypePool.Default.of(locator).describe(typeName).resolve();
        DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
        for (Target target : targets) {
            builder = builder.visit(Advice.to(target.advice).on(target.methodMatcher()));
        }
        return builder.make().getBytes();
    }
}
