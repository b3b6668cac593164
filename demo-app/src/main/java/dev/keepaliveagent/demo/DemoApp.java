package dev.keepaliveagent.demo;

public final class DemoApp {
    public static void main(String[] args) {
    }
}
