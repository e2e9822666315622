// The Android app, for Android Studio. Its app-side logic lives in
// appcore/ (pure Kotlin, also built and tested on the JVM by pom.xml).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "SecondHeart"
include(":app")
