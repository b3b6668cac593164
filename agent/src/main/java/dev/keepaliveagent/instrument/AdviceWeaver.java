package dev.keepaliveagent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines the advice of some targets into one class file. Only Byte Buddy's {@code Advice} and
 * its class-file reader and writer are used (no {@code AgentBuilder}): that is all a handful of
 * methods need, it loads far fewer classes, and none of the class injectors that make recent
 * JDKs print warnings into the app's output. The only class that touches Byte Buddy: it is created
 * only when a woven class is not found in the cache.
 */
final class AdviceWeaver {

    // Adds no field, method or initializer: already-loaded classes may only be retransformed so.
    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);
    private final ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());

    /** {@code loader}: the one defining the class, null for the bootstrap loader. */
    byte[] weave(String typeName, byte[] classFile, List<Target> targets, ClassLoader loader) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = TypePool.Default.of(locator).describe(typeName).resolve();
        DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
        TypePool advicePool = TypePool.Default.of(agentClasses);
        for (Target target : targets) {
            TypeDescription advice = advicePool.describe(target.adviceName).resolve();
            builder = builder.visit(Advice.to(advice, agentClasses).on(methodMatcher(target)));
        }
        return builder.make().getBytes();
    }

    private static ElementMatcher.Junction<MethodDescription> methodMatcher(Target target) {
        ElementMatcher.Junction<MethodDescription> matcher = target.isConstructor() ? isConstructor() : named(target.methodName);
        for (int i = 0; i < target.leadingArgumentTypes.length; i++) {
            matcher = matcher.and(takesArgument(i, named(target.leadingArgumentTypes[i])));
        }
        return target.exactArguments ? matcher.and(takesArguments(target.leadingArgumentTypes.length)) : matcher;
    }
}
